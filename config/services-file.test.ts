import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readServicesFile,
  readSupervisedComponents,
  servicesFilePath,
  writeServicesFile,
} from './services-file';

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'services-file-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const services = {
  launcherPid: 42,
  databaseUrl: 'postgres://postgres:secret@127.0.0.1:5432/postgres',
  processGroups: [{ name: 'worker', pgid: 43 }],
};

describe('services.json', () => {
  it('is readable by its owner only, since it holds the database password', () => {
    writeServicesFile(dataDir, services);
    expect(statSync(servicesFilePath(dataDir)).mode & 0o777).toBe(0o600);
    expect(readServicesFile(dataDir)).toEqual(services);
  });

  it('becomes 0600 even where an older, world-readable file stood', () => {
    writeFileSync(servicesFilePath(dataDir), '{}', { mode: 0o644 });
    writeFileSync(`${servicesFilePath(dataDir)}.${process.pid}.tmp`, '{}', { mode: 0o644 });
    writeServicesFile(dataDir, services);
    expect(statSync(servicesFilePath(dataDir)).mode & 0o777).toBe(0o600);
  });

  it('gives the supervisor’s component states only while the launcher that wrote them lives', () => {
    const worker = {
      status: 'running' as const,
      pid: 43,
      restarts: 1,
      since: '2026-01-01T00:00:00.000Z',
      detail: 'running (pid 43)',
    };
    writeServicesFile(dataDir, { ...services, launcherPid: process.pid, components: { worker } });
    expect(readSupervisedComponents(dataDir)).toEqual({ worker });
    // A launcher killed outright leaves its file behind: what it says is stale.
    writeServicesFile(dataDir, { ...services, launcherPid: 2 ** 30, components: { worker } });
    expect(readSupervisedComponents(dataDir)).toBeUndefined();
  });
});
