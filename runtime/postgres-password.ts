import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { writePrivateFile } from '../config/private-file';

/**
 * Clusters created before passwords were generated per install used this one. It is kept only so
 * such a cluster can be given a fresh password on its next start (see startPostgresProcess).
 */
export const LEGACY_EMBEDDED_PASSWORD = 'pipewright';

/** Generated passwords use only these characters, so they need no quoting in a URL or in SQL. */
const PASSWORD_PATTERN = /^[A-Za-z0-9_-]{32,}$/;

export interface EmbeddedPassword {
  password: string;
  /**
   * Set when the cluster already exists with the legacy password: the caller changes it to
   * `password` once the server is up, and only then stores it with storePassword.
   */
  replaces?: string;
}

/**
 * The embedded PostgreSQL's password for this install: read from `file`, or generated and stored
 * there (mode 0600) before the cluster is created. `clusterExists` says whether a cluster was made
 * before the file: then it still has the legacy password, which the caller replaces.
 */
export function embeddedPassword(file: string, clusterExists: boolean): EmbeddedPassword {
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (!PASSWORD_PATTERN.test(stored)) {
      throw new Error(
        `${file} does not hold a password Pipewright generated; delete it only together with the postgres folder beside it`,
      );
    }
    chmodSync(file, 0o600);
    return { password: stored };
  }
  const password = randomBytes(24).toString('base64url');
  if (clusterExists) return { password, replaces: LEGACY_EMBEDDED_PASSWORD };
  storePassword(file, password);
  return { password };
}

/** Reads a password stored by embeddedPassword (the embedded server's own process does this). */
export function readPasswordFile(file: string): string {
  return readFileSync(file, 'utf8').trim();
}

/** Written atomically and readable by its owner only. */
export function storePassword(file: string, password: string): void {
  writePrivateFile(file, `${password}\n`);
}

/** SQL that sets a generated password; the pattern check is what makes splicing it in safe. */
export function alterPasswordStatement(user: string, password: string): string {
  if (!PASSWORD_PATTERN.test(password) || !/^[a-z_]+$/.test(user)) {
    throw new Error('refusing to set a password that Pipewright did not generate');
  }
  return `alter role "${user}" with password '${password}'`;
}
