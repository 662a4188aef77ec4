import type { AuditEntry } from '../../../db/queries/audit';
import type { Actor } from './actor';

/** The "who" half of an audit entry. */
export type AuditActorFields = Pick<AuditEntry, 'actorKind' | 'actorId' | 'actorEmail' | 'ipAddress'> & {
  /** For a key: which key acted (its shown prefix), so an entry tells a key's act from its owner's. */
  details?: { keyPrefix: string };
};

/** The "what" half of an audit entry: the action and its object; details are a flat record. */
export type AuditEvent = Omit<
  AuditEntry,
  'actorKind' | 'actorId' | 'actorEmail' | 'ipAddress' | 'details'
> & {
  details?: Record<string, unknown>;
};

/**
 * The actor fields of an audit entry for the caller of a procedure or route. A key is recorded as
 * its owner (actorId, actorEmail) plus the key's prefix, never the key itself.
 */
export function auditActor(actor: Actor, ipAddress: string | null): AuditActorFields {
  const who = { actorId: actor.userId, actorEmail: actor.email, ipAddress };
  if (actor.kind === 'key') return { actorKind: 'key', ...who, details: { keyPrefix: actor.keyPrefix } };
  return { actorKind: 'user', ...who };
}

/** A whole entry: the actor's fields and the event, their details merged (the event's win). */
export function auditEntry(actor: Actor, ipAddress: string | null, event: AuditEvent): AuditEntry {
  const { details: actorDetails, ...who } = auditActor(actor, ipAddress);
  const details = actorDetails || event.details ? { ...actorDetails, ...event.details } : null;
  return { ...who, ...event, details };
}
