import { and, count, eq, gte } from 'drizzle-orm';
import type { Database } from '../client';
import { auditLog } from '../schema';

export type AuditEntry = Omit<typeof auditLog.$inferInsert, 'id' | 'at'>;

/** Appends one entry; the table refuses changes and deletions (migration 0005). */
export async function recordAudit(db: Database, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(entry);
}

/** Failed sign-ins for one email since a moment: the per-account sign-in limit reads this. */
export async function countFailedSignIns(db: Database, email: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ failures: count() })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'sign-in.failed'), eq(auditLog.objectId, email), gte(auditLog.at, since)));
  return row?.failures ?? 0;
}
