import type { Database } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import type { Actor } from './auth/actor';
import { type AuditEvent, auditEntry } from './auth/audit-actor';

/** What a procedure knows about its call: enough to say who did it and from where. */
export interface AuditedCall {
  services: { db: Database };
  actor: Actor;
  ipAddress: string | null;
}

/** Appends one entry for an action the caller just did (called after it succeeded). */
export function recordAction(ctx: AuditedCall, event: AuditEvent): Promise<void> {
  return recordAudit(ctx.services.db, auditEntry(ctx.actor, ctx.ipAddress, event));
}
