import { randomUUID } from 'node:crypto';
import { asc, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Database, Sql } from '../client';
import * as schema from '../schema';
import { connections } from '../schema';

/** A connection as lists show it: whether a password is stored, never the sealed bytes. */
export interface ConnectionSummary {
  id: string;
  name: string;
  host: string;
  port: number;
  database: string;
  username: string;
  hasPassword: boolean;
  options: unknown;
  allowsWrites: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A connection with its sealed password, for the worker and "Test connection" only. */
export type SealedConnection = typeof connections.$inferSelect;

export interface ConnectionValues {
  name: string;
  host: string;
  port: number;
  database: string;
  username: string;
  options: unknown;
  allowsWrites: boolean;
}

const summaryColumns = {
  id: connections.id,
  name: connections.name,
  host: connections.host,
  port: connections.port,
  database: connections.database,
  username: connections.username,
  hasPassword: sql<boolean>`${connections.passwordSealed} is not null`,
  options: connections.options,
  allowsWrites: connections.allowsWrites,
  createdAt: connections.createdAt,
  updatedAt: connections.updatedAt,
};

/** Names match case-insensitively, like the PIPEWRIGHT_CONNECTION_<NAME> variables they stand beside. */
const sameName = (name: string) => sql`lower(${connections.name}) = lower(${name})`;

export function listConnections(db: Database): Promise<ConnectionSummary[]> {
  return db.select(summaryColumns).from(connections).orderBy(asc(connections.name));
}

export async function findConnection(db: Database, name: string): Promise<SealedConnection | undefined> {
  const [row] = await db.select().from(connections).where(sameName(name));
  return row;
}

/** The worker's look-up: it holds a postgres.js pool, not the app's ORM. */
const orms = new WeakMap<Sql, Database>();
export function findConnectionWithSql(client: Sql, name: string): Promise<SealedConnection | undefined> {
  let db = orms.get(client);
  if (!db) {
    db = drizzle(client, { schema });
    orms.set(client, db);
  }
  return findConnection(db, name);
}

/** Adds a connection; undefined when its name (in any case) is taken. */
export async function insertConnection(
  db: Database,
  values: ConnectionValues & { passwordSealed: Buffer | null },
): Promise<ConnectionSummary | undefined> {
  return db.transaction(async (tx) => {
    // One writer per name at a time, so two creates of "Sales" and "SALES" cannot both pass the check.
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(${`connection:${values.name.toLowerCase()}`}))`,
    );
    const [taken] = await tx.select({ id: connections.id }).from(connections).where(sameName(values.name));
    if (taken) return undefined;
    const [row] = await tx
      .insert(connections)
      .values({ id: randomUUID(), ...values })
      .returning(summaryColumns);
    return row;
  });
}

/** Changes a connection's fields; a passwordSealed left undefined keeps the stored one. */
export async function updateConnection(
  db: Database,
  name: string,
  values: Omit<ConnectionValues, 'name'> & { passwordSealed?: Buffer | null },
): Promise<ConnectionSummary | undefined> {
  const [row] = await db
    .update(connections)
    .set({ ...values, updatedAt: new Date() })
    .where(sameName(name))
    .returning(summaryColumns);
  return row;
}

export async function deleteConnection(db: Database, name: string): Promise<ConnectionSummary | undefined> {
  const [row] = await db.delete(connections).where(sameName(name)).returning(summaryColumns);
  return row;
}
