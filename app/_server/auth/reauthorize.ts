import type { Permission } from '../../../access/roles';
import type { Services } from '../services';
import { type Actor, BadCredentialError, resolveActor } from './actor';
import { actorMay } from './authorize';

/** Asks again whether the caller of a request may still do this: for calls that outlive their start. */
export type Reauthorize = (permission: Exclude<Permission, 'public'>) => Promise<boolean>;

/** How long an answer is reused: a live stream asks before every change, the database only this often. */
export const REAUTHORIZE_CACHE_MS = 5_000;

/**
 * Resolves the request's session cookie or API key again, as on its first call: a user deactivated,
 * a session signed out, a key revoked or a role lowered since then is refused from now on.
 */
export function reauthorizerOf(
  services: Services,
  headers: Headers,
  cacheMs: number = REAUTHORIZE_CACHE_MS,
): Reauthorize {
  let cached: { actor: Actor | null; at: number } | undefined;
  const currentActor = async (): Promise<Actor | null> => {
    if (cached && Date.now() - cached.at < cacheMs) return cached.actor;
    let actor: Actor | null;
    try {
      actor = await resolveActor(services.auth(), services.db, headers);
    } catch (error) {
      if (!(error instanceof BadCredentialError)) throw error;
      actor = null;
    }
    cached = { actor, at: Date.now() };
    return actor;
  };
  return async (permission) => actorMay(await currentActor(), permission);
}
