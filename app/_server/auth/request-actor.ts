import { clientAddress } from '../../../runtime/auth/client-address';
import type { Services } from '../services';
import { type Actor, resolveActor } from './actor';

export interface RequestCaller {
  actor: Actor | null;
  ipAddress: string | null;
}

/** Who sent this request and from where; throws BadCredentialError for a key that is not good. */
export async function callerOf(services: Services, request: Request): Promise<RequestCaller> {
  const auth = services.auth();
  return {
    actor: await resolveActor(auth, services.db, request.headers),
    ipAddress: clientAddress(request.headers, auth.options),
  };
}
