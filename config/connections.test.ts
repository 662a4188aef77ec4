import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveAppUrl } from './connections';
import { readEnv } from './env';
import { writeServicesFile } from './services-file';

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'connections-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('resolveAppUrl', () => {
  it("is the running launcher's address, not this process's PORT", () => {
    writeServicesFile(dataDir, { launcherPid: 1, appUrl: 'http://localhost:3400', processGroups: [] });
    expect(resolveAppUrl(readEnv({ DATA_DIR: dataDir, PORT: '3000' })).origin).toBe('http://localhost:3400');
  });

  it('is PIPEWRIGHT_PUBLIC_URL when set, whatever runs', () => {
    writeServicesFile(dataDir, { launcherPid: 1, appUrl: 'http://localhost:3400', processGroups: [] });
    const env = readEnv({ DATA_DIR: dataDir, PIPEWRIGHT_PUBLIC_URL: 'https://ml.example.com' });
    expect(resolveAppUrl(env).origin).toBe('https://ml.example.com');
  });

  it('is localhost at PORT when nothing runs', () => {
    expect(resolveAppUrl(readEnv({ DATA_DIR: dataDir, PORT: '3100' })).origin).toBe('http://localhost:3100');
  });
});
