import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveTemporalCli } from './temporal-cli';

let scratch: string;

beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'temporal-cli-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

function executable(relative: string): string {
  const file = path.join(scratch, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, 0o755);
  return file;
}

describe('resolveTemporalCli', () => {
  it('prefers TEMPORAL_CLI over everything else', async () => {
    const explicit = executable('custom/temporal');
    executable('bin/temporal');
    const found = await resolveTemporalCli({
      projectDir: scratch,
      explicit,
      allowBuild: false,
      searchPath: path.join(scratch, 'bin'),
    });
    expect(found).toEqual({ path: explicit, source: 'TEMPORAL_CLI' });
  });

  it('rejects a TEMPORAL_CLI that is not executable, naming it', async () => {
    const missing = path.join(scratch, 'nope');
    await expect(
      resolveTemporalCli({ projectDir: scratch, explicit: missing, allowBuild: false }),
    ).rejects.toThrow(`TEMPORAL_CLI=${missing} is not an executable file`);
  });

  it('takes PATH before .tools/bin', async () => {
    const onPath = executable('bin/temporal');
    executable('.tools/bin/temporal');
    const found = await resolveTemporalCli({
      projectDir: scratch,
      allowBuild: false,
      searchPath: path.join(scratch, 'bin'),
    });
    expect(found).toEqual({ path: onPath, source: 'PATH' });
  });

  it('falls back to .tools/bin', async () => {
    const local = executable('.tools/bin/temporal');
    const found = await resolveTemporalCli({
      projectDir: scratch,
      allowBuild: true,
      searchPath: path.join(scratch, 'empty'),
    });
    expect(found).toEqual({ path: local, source: '.tools/bin' });
  });

  it('finds nothing without a binary or Go, so the caller can explain', async () => {
    const found = await resolveTemporalCli({
      projectDir: scratch,
      allowBuild: true,
      searchPath: path.join(scratch, 'empty'),
    });
    expect(found).toBeUndefined();
  });

  it('reports a failed Go build with its output', async () => {
    const fakeGo = path.join(scratch, 'gobin', 'go');
    mkdirSync(path.dirname(fakeGo), { recursive: true });
    writeFileSync(fakeGo, '#!/bin/sh\necho "module lookup disabled" >&2\nexit 1\n');
    chmodSync(fakeGo, 0o755);
    await expect(
      resolveTemporalCli({ projectDir: scratch, allowBuild: true, searchPath: path.dirname(fakeGo) }),
    ).rejects.toThrow(/failed \(exit 1\):\nmodule lookup disabled/);
  });
});
