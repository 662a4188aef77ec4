import type { Database, Executor } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import type { Actor } from './auth/actor';
import { type AuditEvent, auditEntry } from './auth/audit-actor';

/** What a procedure knows about its call: enough to say who did it and from where. */
export interface AuditedCall {
  services: { db: Database };
  actor: Actor;
  ipAddress: string | null;
}

/**
 * Appends one entry for an action the caller just did (called after it succeeded), or, given the
 * action's transaction, with it: the action and its entry stand or fall together.
 */
export function recordAction(
  ctx: AuditedCall,
  event: AuditEvent,
  db: Executor = ctx.services.db,
): Promise<void> {
  return recordAudit(db, auditEntry(ctx.actor, ctx.ipAddress, event));
}
