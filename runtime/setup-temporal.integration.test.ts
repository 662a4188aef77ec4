import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const script = path.join(import.meta.dirname, 'setup-temporal.ts');
let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'setup-temporal-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

/** `npm run setup:temporal` with the given TEMPORAL_CLI. */
function setup(temporalCli: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, TEMPORAL_CLI: temporalCli },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run setup:temporal', () => {
  it('says which Temporal CLI it found', () => {
    const binary = path.join(scratch, 'temporal');
    writeFileSync(binary, '#!/bin/sh\nexit 0\n');
    chmodSync(binary, 0o755);
    expect(setup(binary)).toEqual({
      code: 0,
      stdout: `Temporal CLI: ${binary} (TEMPORAL_CLI)\n`,
      stderr: '',
    });
  });

  it('exits 1 with one line when the named CLI is not there', () => {
    const missing = path.join(scratch, 'nope');
    expect(setup(missing)).toEqual({
      code: 1,
      stdout: '',
      stderr: `TEMPORAL_CLI=${missing} is not an executable file\n`,
    });
  });
});
