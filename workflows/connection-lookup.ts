import { openPassword, SealedPasswordError } from '../config/connection-password';
import { type ConnectionLookup, connectionFieldsSchema } from '../config/connection-settings';
import { deriveKey } from '../config/secret-key';
import type { Sql } from '../db/client';
import { findConnectionWithSql } from '../db/queries/connections';
import { NodeInputError } from '../nodes/_kit/errors';

/**
 * The worker's stored connections: read from the database when a step asks, the password opened
 * with the connections key. The secret key is read only then, so a worker whose steps use only
 * environment connections never touches it.
 */
export function storedConnectionLookup(sql: Sql, secretKey: () => Buffer): ConnectionLookup {
  return async (name) => {
    const row = await findConnectionWithSql(sql, name);
    if (!row) return undefined;
    const fields = connectionFieldsSchema.parse(row);
    const password = row.passwordSealed ? open(secretKey(), row.name, row.passwordSealed) : undefined;
    return { ...fields, name: row.name, password, allowsWrites: row.allowsWrites };
  };
}

/** A password that does not open fails the step for good: retrying with the same key cannot help. */
function open(secret: Buffer, name: string, sealed: Buffer): string {
  try {
    return openPassword(deriveKey(secret, 'connections'), name, sealed);
  } catch (error) {
    if (error instanceof SealedPasswordError)
      throw new NodeInputError(error.message, { field: 'connection' });
    throw error;
  }
}
