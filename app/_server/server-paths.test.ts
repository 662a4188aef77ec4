import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ServerPaths } from './server-paths';

const dataDir = '/srv/pipewright/data';
const paths = new ServerPaths(dataDir);

describe('ServerPaths', () => {
  it('names an artifact file relative to DATA_DIR, and nothing for a file elsewhere', () => {
    expect(paths.relativeFile(pathToFileURL(`${dataDir}/artifacts/run-1/data.parquet`).href)).toBe(
      'artifacts/run-1/data.parquet',
    );
    expect(paths.relativeFile(pathToFileURL('/etc/passwd').href)).toBeNull();
    expect(paths.relativeFile(pathToFileURL('/srv/pipewright/data-other/x').href)).toBeNull();
    expect(paths.relativeFile('s3://bucket/data.parquet')).toBeNull();
  });

  it('writes DATA_DIR for the folder in messages and stored JSON, as a path or a file URI', () => {
    expect(paths.text(`No file at ${dataDir}/uploads/missing.csv`)).toBe(
      'No file at DATA_DIR/uploads/missing.csv',
    );
    expect(paths.text(`Wrote file://${dataDir}/artifacts/a b.parquet`)).toBe(
      'Wrote DATA_DIR/artifacts/a b.parquet',
    );
    expect(paths.nullableText(null)).toBeNull();
    expect(
      paths.json({ files: [`${dataDir}/a.csv`, 3], nested: { at: `${dataDir}/b` }, none: null }),
    ).toEqual({
      files: ['DATA_DIR/a.csv', 3],
      nested: { at: 'DATA_DIR/b' },
      none: null,
    });
  });

  it('writes DATA_DIR for a folder path that a preview cut short, and leaves other endings alone', () => {
    expect(paths.preview(`Could not read ${dataDir}/uploads/a.csv`)).toBe(
      'Could not read DATA_DIR/uploads/a.csv',
    );
    expect(paths.preview('No file at /srv/pipewri')).toBe('No file at DATA_DIR');
    expect(paths.preview(`Wrote file://${dataDir.slice(0, 8)}`)).toBe('Wrote DATA_DIR');
    expect(paths.preview('Value out of range in /srv')).toBe('Value out of range in /srv');
    expect(paths.preview('Step failed: see the log')).toBe('Step failed: see the log');
    expect(paths.nullablePreview(null)).toBeNull();
  });

  it('writes DATA_DIR for the folder a symbolic link leads to, as errors from the file system name it', () => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'pipewright-paths-'));
    try {
      const real = path.join(scratch, 'real');
      mkdirSync(real);
      const linked = path.join(scratch, 'linked');
      symlinkSync(real, linked);
      const viaLink = new ServerPaths(linked);
      expect(viaLink.text(`No file at ${realpathSync(real)}/uploads/a.csv and ${linked}/b.csv`)).toBe(
        'No file at DATA_DIR/uploads/a.csv and DATA_DIR/b.csv',
      );
      expect(viaLink.text(`Wrote ${pathToFileURL(realpathSync(real)).href}/c.parquet`)).toBe(
        'Wrote DATA_DIR/c.parquet',
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
