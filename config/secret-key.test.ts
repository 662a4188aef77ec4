import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from './env';
import { ensureSecretKey, secretKeyFile, secretKeyReader } from './secret-key';

const folders: string[] = [];
function dataDir(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'pipewright-secret-key-'));
  folders.push(folder);
  return folder;
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('secretKeyReader', () => {
  it('reads the key file once: later calls answer the same key, untouched by changes to the file', () => {
    const DATA_DIR = dataDir();
    ensureSecretKey({ PIPEWRIGHT_SECRET_KEY: undefined, DATA_DIR });
    const file = secretKeyFile(DATA_DIR);
    const secretKey = secretKeyReader({ PIPEWRIGHT_SECRET_KEY: undefined, DATA_DIR });

    const first = secretKey();
    expect(first).toHaveLength(32);
    // A later call neither reads the file again nor sets its mode again.
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`);
    chmodSync(file, 0o644);
    expect(secretKey().equals(first)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });

  it('keeps no failure: once the key file exists, the next call reads it', () => {
    const DATA_DIR = dataDir();
    const secretKey = secretKeyReader({ PIPEWRIGHT_SECRET_KEY: undefined, DATA_DIR });
    expect(() => secretKey()).toThrow(ConfigError);
    ensureSecretKey({ PIPEWRIGHT_SECRET_KEY: undefined, DATA_DIR });
    expect(secretKey()).toHaveLength(32);
  });
});
