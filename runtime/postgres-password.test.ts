import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  alterPasswordStatement,
  embeddedPassword,
  LEGACY_EMBEDDED_PASSWORD,
  storePassword,
} from './postgres-password';

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'pg-password-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

describe('the embedded PostgreSQL password', () => {
  it('is generated per install, stored 0600, and read back on the next start', () => {
    const file = path.join(scratch, 'postgres.password');
    const first = embeddedPassword(file, false);
    expect(first.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(first.replaces).toBeUndefined();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(`${first.password}\n`);
    expect(embeddedPassword(file, true)).toEqual({ password: first.password });

    const other = embeddedPassword(path.join(scratch, 'other', 'postgres.password'), false);
    expect(other.password).not.toBe(first.password);
    expect(other.password).not.toBe(LEGACY_EMBEDDED_PASSWORD);
  });

  it('replaces the old fixed password of a cluster made before, storing the new one only once set', () => {
    const file = path.join(scratch, 'postgres.password');
    const upgrade = embeddedPassword(file, true);
    expect(upgrade.replaces).toBe(LEGACY_EMBEDDED_PASSWORD);
    expect(() => statSync(file)).toThrow(/ENOENT/);
    storePassword(file, upgrade.password);
    expect(embeddedPassword(file, true)).toEqual({ password: upgrade.password });
  });

  it('tightens a stored file that became readable by others', () => {
    const file = path.join(scratch, 'postgres.password');
    writeFileSync(file, `${'a'.repeat(32)}\n`, { mode: 0o644 });
    expect(embeddedPassword(file, true)).toEqual({ password: 'a'.repeat(32) });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a file it did not write, and never splices other text into SQL', () => {
    const file = path.join(scratch, 'postgres.password');
    writeFileSync(file, "x'; drop table runs; --\n");
    expect(() => embeddedPassword(file, true)).toThrow(
      `${file} does not hold a password Pipewright generated`,
    );
    expect(() => alterPasswordStatement('postgres', "x'; drop table runs; --")).toThrow(
      'refusing to set a password that Pipewright did not generate',
    );
    expect(alterPasswordStatement('postgres', 'b'.repeat(32))).toBe(
      `alter role "postgres" with password '${'b'.repeat(32)}'`,
    );
  });
});
