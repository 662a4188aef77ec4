import {
  and,
  asc,
  count,
  eq,
  gte,
  ilike,
  inArray,
  isNull,
  like,
  lt,
  max,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { Database, Executor } from '../client';
import { auditLog, user } from '../schema';
import { afterCursor, newestFirst } from './keyset';
import { containsPattern, escapeLike } from './like';

export type AuditEntry = Omit<typeof auditLog.$inferInsert, 'id' | 'at'>;
export type AuditRow = typeof auditLog.$inferSelect;

/** Appends one entry; the table refuses changes and deletions (migration 0005). */
export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(entry);
}

/**
 * Records the entry unless one with the same action on the same object was recorded less than
 * `withinMs` ago: the audit log doubles as the record of when an action last ran, so a limit holds
 * across every app process. Answers how long ago that entry was when it refuses. Calls for one
 * object queue behind each other (a transaction lock), so two at once never both get through.
 */
export async function recordAuditUnlessRecent(
  db: Database,
  entry: AuditEntry,
  withinMs: number,
): Promise<{ recorded: true } | { recorded: false; agoMs: number }> {
  const objectKey = `${entry.action}:${entry.objectType ?? ''}:${entry.objectId ?? ''}`;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${objectKey}, 0))`);
    const [recent] = await tx
      .select({ agoMs: sql<number>`(extract(epoch from now() - ${auditLog.at}) * 1000)::float8` })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.action, entry.action),
          entry.objectType ? eq(auditLog.objectType, entry.objectType) : isNull(auditLog.objectType),
          entry.objectId ? eq(auditLog.objectId, entry.objectId) : isNull(auditLog.objectId),
          gte(auditLog.at, sql`now() - make_interval(secs => ${withinMs / 1000})`),
        ),
      )
      .orderBy(sql`${auditLog.at} desc`)
      .limit(1);
    if (recent) return { recorded: false as const, agoMs: Number(recent.agoMs) };
    await tx.insert(auditLog).values(entry);
    return { recorded: true as const };
  });
}

/** Failed sign-ins for one email: from one address, and from every address. */
export interface FailedSignIns {
  fromAddress: number;
  total: number;
}

/** Audit actions after which an account's failed sign-ins stop counting against it. */
const CREDENTIAL_RESETS = ['sign-in', 'password.changed', 'password.set'];

/**
 * Failed sign-ins for one email since `since` and since the account's last successful sign-in or
 * password change (the per-account sign-in limits read this). `address` null counts the failures
 * whose address was unknown. Reads audit_log_object_at_idx (object type, id, time).
 */
export async function countFailedSignIns(
  db: Database,
  email: string,
  address: string | null,
  since: Date,
): Promise<FailedSignIns> {
  const lastReset = db
    .select({ at: max(auditLog.at) })
    .from(auditLog)
    .innerJoin(user, eq(user.id, auditLog.objectId))
    .where(
      and(
        eq(user.email, email),
        eq(auditLog.objectType, 'user'),
        inArray(auditLog.action, CREDENTIAL_RESETS),
      ),
    );
  const sameAddress = address === null ? isNull(auditLog.ipAddress) : eq(auditLog.ipAddress, address);
  const [row] = await db
    .select({
      total: count(),
      fromAddress: sql<number>`count(*) filter (where ${sameAddress})`.mapWith(Number),
    })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.objectType, 'account'),
        eq(auditLog.objectId, email),
        eq(auditLog.action, 'sign-in.failed'),
        gte(auditLog.at, since),
        sql`${auditLog.at} > coalesce((${lastReset}), '-infinity'::timestamptz)`,
      ),
    );
  return { fromAddress: row?.fromAddress ?? 0, total: row?.total ?? 0 };
}

/** What the audit page and the CSV export filter by; every field narrows, none is required. */
export interface AuditFilters {
  /** Part of the actor's email, case-insensitive. */
  actor?: string;
  /** An action name, or a prefix ending in a dot (`pipeline.`) for a whole family. */
  action?: string;
  objectType?: string;
  /** An object id (exactly), or part of its label (case-insensitive). */
  object?: string;
  /** Entries at or after this moment. */
  from?: Date;
  /** Entries before this moment. */
  to?: Date;
}

/** The last entry of the previous page. */
export interface AuditCursor {
  at: Date;
  id: number;
}

function actionCondition(action: string): SQL {
  return action.endsWith('.') ? like(auditLog.action, `${escapeLike(action)}%`) : eq(auditLog.action, action);
}

/** User text goes only into bound parameters, with LIKE wildcards escaped. */
function filterConditions(filters: AuditFilters): SQL | undefined {
  return and(
    filters.actor ? ilike(auditLog.actorEmail, containsPattern(filters.actor)) : undefined,
    filters.action ? actionCondition(filters.action) : undefined,
    filters.objectType ? eq(auditLog.objectType, filters.objectType) : undefined,
    filters.object
      ? or(
          eq(auditLog.objectId, filters.object),
          ilike(auditLog.objectLabel, containsPattern(filters.object)),
        )
      : undefined,
    filters.from ? gte(auditLog.at, filters.from) : undefined,
    filters.to ? lt(auditLog.at, filters.to) : undefined,
  );
}

/** One page of entries matching the filters, newest first (keyset on at, id). */
export async function listAudit(
  db: Database,
  filters: AuditFilters,
  page: { limit: number; cursor?: AuditCursor },
): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditLog)
    .where(and(filterConditions(filters), afterCursor(auditLog.at, auditLog.id, page.cursor)))
    .orderBy(...newestFirst(auditLog.at, auditLog.id))
    .limit(page.limit);
}

/**
 * Every entry matching the filters, newest first, read a page at a time: a large log never sits in
 * memory at once.
 */
export async function* eachAuditEntry(
  db: Database,
  filters: AuditFilters,
  pageSize = 500,
): AsyncGenerator<AuditRow> {
  let cursor: AuditCursor | undefined;
  for (;;) {
    const rows = await listAudit(db, filters, { limit: pageSize, cursor });
    yield* rows;
    const last = rows.at(-1);
    if (rows.length < pageSize || !last) return;
    cursor = { at: last.at, id: last.id };
  }
}

/** The action names in the log, alphabetically: the audit page's action filter offers these. */
export async function auditActionNames(db: Database): Promise<string[]> {
  const rows = await db
    .selectDistinct({ action: auditLog.action })
    .from(auditLog)
    .orderBy(asc(auditLog.action));
  return rows.map((row) => row.action);
}
