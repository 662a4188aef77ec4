import {
  type Permission,
  permissionActions,
  permissionNeeds,
  roleMay,
  scopeMay,
} from '../../../access/roles';
import type { Actor } from './actor';

/** Whether the actor may do what needs this permission: its role, and for a key also its scope. */
export function actorMay(actor: Actor | null, permission: Permission): boolean {
  if (permission === 'public') return true;
  if (actor === null) return false;
  if (!roleMay(actor.role, permission)) return false;
  if (actor.kind === 'key') {
    // A key manages nothing of its owner's account (keys, password) unless it is an admin key.
    if (permission === 'signedIn') return actor.scope === 'admin';
    return scopeMay(actor.scope, permission);
  }
  return true;
}

export interface Refusal {
  status: 401 | 403;
  message: string;
}

/** Why the actor is refused, in words for the caller; undefined when allowed. */
export function refusalOf(actor: Actor | null, permission: Permission): Refusal | undefined {
  if (actorMay(actor, permission)) return undefined;
  const what = permissionActions[permission];
  if (actor === null) {
    return { status: 401, message: `Sign in (or send an API key as "Authorization: Bearer …") to ${what}.` };
  }
  if (actor.kind === 'key' && roleMay(actor.role, permission)) {
    return {
      status: 403,
      message: `The API key ${actor.keyPrefix}… has the ${actor.scope} scope, which may not ${what}.`,
    };
  }
  return {
    status: 403,
    message: `${actor.email} (${actor.role}) may not ${what}: that needs ${permissionNeeds[permission]}.`,
  };
}
