import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Env } from './env';
import { writePrivateFile } from './private-file';

/**
 * The installation's one secret: sessions are signed and stored connection passwords encrypted with
 * keys derived from it. PIPEWRIGHT_SECRET_KEY when set (every machine of an installation sets the
 * same value); otherwise a key generated on first start into DATA_DIR/secret.key (mode 0600).
 */
const KEY_BYTES = 32;

export function secretKeyFile(dataDir: string): string {
  return path.join(dataDir, 'secret.key');
}

/** 32 bytes written as base64 (44 characters) or hex (64); anything else is a configuration error. */
export function parseSecretKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : undefined;
  if (bytes?.length !== KEY_BYTES) {
    throw new ConfigError(
      `${where} must hold 32 random bytes written as base64 or hex, for example the output of \`openssl rand -base64 32\``,
    );
  }
  return bytes;
}

/** Where the key comes from: the variable, else DATA_DIR's key file. */
export type KeySettings = Pick<Env, 'PIPEWRIGHT_SECRET_KEY' | 'DATA_DIR'>;

export interface EnsuredKey {
  /** Set when this call generated the key file: the launcher tells the user to back it up. */
  createdFile?: string;
}

/** The launcher's first-start step: generate DATA_DIR/secret.key unless a key is already there or set. */
export function ensureSecretKey(env: KeySettings): EnsuredKey {
  if (env.PIPEWRIGHT_SECRET_KEY !== undefined) return {};
  const file = secretKeyFile(env.DATA_DIR);
  if (existsSync(file)) return {};
  writePrivateFile(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`);
  return { createdFile: file };
}

/** The secret key, or one clear line saying how to provide it. */
export function readSecretKey(env: KeySettings): Buffer {
  if (env.PIPEWRIGHT_SECRET_KEY !== undefined) {
    return parseSecretKey(env.PIPEWRIGHT_SECRET_KEY, 'PIPEWRIGHT_SECRET_KEY');
  }
  const file = secretKeyFile(env.DATA_DIR);
  if (!existsSync(file)) {
    throw new ConfigError(
      `No secret key: set PIPEWRIGHT_SECRET_KEY to the installation's key (the same value on every machine), or run \`npm start\` once to generate ${file}.`,
    );
  }
  chmodSync(file, 0o600);
  return parseSecretKey(readFileSync(file, 'utf8'), file);
}

/**
 * readSecretKey for a long-lived process: the key is read (and its file's mode set) on the first
 * call only, later calls answer the same bytes. A failure is not kept: the next call tries again,
 * so a process started before `npm start` generated the file recovers once it exists.
 */
export function secretKeyReader(env: KeySettings): () => Buffer {
  let key: Buffer | undefined;
  return () => {
    key ??= readSecretKey(env);
    return key;
  };
}

export type KeyPurpose = 'sessions' | 'connections' | 'serving' | 'notifications';

/** A separate key per use, so one leaking says nothing about the other or the secret itself. */
export function deriveKey(secret: Buffer, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `pipewright ${purpose}`, KEY_BYTES));
}
