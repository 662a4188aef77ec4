import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isTemporaryName, temporaryPathFor, writeAtomically, writeFileAtomic } from './atomic-file';

const dir = mkdtempSync(path.join(tmpdir(), 'atomic-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('atomic file writes', () => {
  it('writes under a temporary name in the same folder and shows the file only when complete', async () => {
    const file = path.join(dir, 'data.parquet');
    let seenDuringWrite: { target: boolean; temporary: string } | undefined;
    await writeAtomically(file, async (temporary) => {
      writeFileSync(temporary, 'half');
      seenDuringWrite = { target: existsSync(file), temporary };
      writeFileSync(temporary, 'whole file');
    });
    expect(seenDuringWrite?.target).toBe(false);
    expect(path.dirname(seenDuringWrite?.temporary ?? '')).toBe(dir);
    expect(isTemporaryName(path.basename(seenDuringWrite?.temporary ?? ''))).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('whole file');
    expect(readdirSync(dir)).toEqual(['data.parquet']);
  });

  it('leaves the earlier file untouched and no temporary file when the write fails', async () => {
    const file = path.join(dir, 'report.json');
    writeFileSync(file, '{"old":true}');
    await expect(
      writeAtomically(file, async (temporary) => {
        writeFileSync(temporary, '{"new":');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(readFileSync(file, 'utf8')).toBe('{"old":true}');
    expect(readdirSync(dir).filter(isTemporaryName)).toEqual([]);
  });

  it('replaces a file by renaming a new one into place, never by rewriting it in place', async () => {
    const file = path.join(dir, 'model.json');
    writeFileSync(file, 'first');
    const before = statSync(file).ino;
    await writeFileAtomic(file, 'second');
    expect(readFileSync(file, 'utf8')).toBe('second');
    expect(statSync(file).ino).not.toBe(before);
  });

  it('recognises its own temporary names only', () => {
    expect(isTemporaryName(path.basename(temporaryPathFor('/a/b/data.parquet')))).toBe(true);
    expect(isTemporaryName('data.parquet')).toBe(false);
    expect(isTemporaryName('.data.parquet.tmp-zz')).toBe(false);
    expect(isTemporaryName('data.parquet.tmp-0123456789ab')).toBe(false);
  });
});
