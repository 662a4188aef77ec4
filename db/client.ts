import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Database = ReturnType<typeof drizzle<typeof schema>>;
export type Sql = postgres.Sql;
export type Transaction = postgres.TransactionSql;
/** A drizzle transaction: queries that must run inside the caller's transaction take this or a Database. */
export type DatabaseTransaction = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Executor = Database | DatabaseTransaction;

export interface DatabaseHandle {
  url: string;
  db: Database;
  sql: Sql;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Pool size; the app and each worker keep their own pool. */
  max?: number;
  /** Seconds to wait for a connection before failing with a clear error. */
  connectTimeout?: number;
}

/** A drizzle handle over an existing pool (the worker's activities are given its sql). */
export function databaseOf(sql: Sql): Database {
  return drizzle(sql, { schema });
}

export function connectDatabase(url: string, options: DatabaseOptions = {}): DatabaseHandle {
  const sql = postgres(url, {
    max: options.max ?? 10,
    connect_timeout: options.connectTimeout ?? 10,
    onnotice: () => {},
  });
  return { url, db: databaseOf(sql), sql, close: () => sql.end({ timeout: 5 }) };
}
