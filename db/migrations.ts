import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type { Database, Sql } from './client';
import journal from './migrations/meta/_journal.json';

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Applies the committed migrations in order. Safe to call on every start: applied ones are skipped. */
export async function applyMigrations(db: Database): Promise<void> {
  await migrate(db, { migrationsFolder });
}

export interface MigrationLevel {
  applied: number;
  latest: number;
  latestTag: string;
  upToDate: boolean;
}

/** How many of the committed migrations the database has, read from drizzle's own bookkeeping table. */
export async function readMigrationLevel(sql: Sql): Promise<MigrationLevel> {
  const latest = journal.entries.length;
  const latestTag = journal.entries.at(-1)?.tag ?? 'none';
  const [table] = await sql<{ exists: boolean }[]>`
    select to_regclass('drizzle.__drizzle_migrations') is not null as exists`;
  if (!table?.exists) return { applied: 0, latest, latestTag, upToDate: latest === 0 };
  const [row] = await sql<
    { count: number }[]
  >`select count(*)::int as count from drizzle.__drizzle_migrations`;
  const applied = row?.count ?? 0;
  return { applied, latest, latestTag, upToDate: applied === latest };
}
