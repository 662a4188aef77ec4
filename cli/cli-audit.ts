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

/** The operating-system account running the command, when the system can say (not a Pipewright user). */
function osUser(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
}

/**
 * Appends an entry for an action of the CLI against local services: it talks to the database
 * directly, without an account, so the entry names the CLI and the OS user that ran it.
 */
export function recordCliAction(db: Database, event: CliAuditEvent): Promise<void> {
  return recordAudit(db, {
    actorKind: 'cli',
    actorId: null,
    actorEmail: null,
    ipAddress: null,
    ...event,
    details: { osUser: osUser(), ...event.details },
  });
}
