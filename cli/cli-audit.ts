import { userInfo } from 'node:os';
import type { Database } from '../db/client';
import { type AuditEntry, recordAudit } from '../db/queries/audit';

/** What the CLI did: the action and its object (the actor is always the local CLI). */
export type CliAuditEvent = Omit<
  AuditEntry,
  'actorKind' | 'actorId' | 'actorEmail' | 'ipAddress' | 'details'
> & {
  details?: Record<string, unknown>;
};

/** The "who" of an entry the CLI writes (also handed to the shared key functions of runtime/auth). */
export type CliAuditActor = Pick<AuditEntry, 'actorKind' | 'actorId' | 'actorEmail' | 'ipAddress'> & {
  details: { osUser: string | null };
};

/** The operating-system account running the command, when the system can say (not a Pipewright user). */
export function cliOsUser(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
}

/**
 * The CLI against local services talks to the database directly, without an account: its entries
 * name the CLI and the OS user that ran it.
 */
export function cliAuditActor(): CliAuditActor {
  return {
    actorKind: 'cli',
    actorId: null,
    actorEmail: null,
    ipAddress: null,
    details: { osUser: cliOsUser() },
  };
}

/** Appends an entry for an action of the CLI against local services. */
export function recordCliAction(db: Database, event: CliAuditEvent): Promise<void> {
  const { details: who, ...actor } = cliAuditActor();
  return recordAudit(db, { ...actor, ...event, details: { ...who, ...event.details } });
}
