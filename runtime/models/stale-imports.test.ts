import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pruneStaleImports, STALE_IMPORT_MS } from './stale-imports';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('pruneStaleImports', () => {
  it('removes import folders older than a day, and nothing else', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-imports-'));
    dirs.push(dataDir);
    const folder = (name: string, ageMs: number) => {
      const at = path.join(dataDir, 'model-imports', name);
      mkdirSync(at, { recursive: true });
      const when = new Date(Date.now() - ageMs);
      utimesSync(at, when, when);
      return at;
    };
    const stale = folder(randomUUID(), STALE_IMPORT_MS + 60_000);
    const fresh = folder(randomUUID(), 60_000);
    const foreign = folder('not-an-import', STALE_IMPORT_MS * 2);
    expect(await pruneStaleImports(dataDir)).toBe(1);
    expect([existsSync(stale), existsSync(fresh), existsSync(foreign)]).toEqual([false, true, true]);
  });

  it('is quiet when there is no import folder yet', async () => {
    expect(await pruneStaleImports(path.join(os.tmpdir(), `pipewright-none-${randomUUID()}`))).toBe(0);
  });
});
