import { type KeyScope, type Role, roleSchema } from '../../../access/roles';
import type { Database } from '../../../db/client';
import { findUserById } from '../../../db/queries/users';
import { keyMetadataSchema } from '../../../runtime/auth/api-keys';
import type { Auth } from '../../../runtime/auth/auth';

/** Who is calling: a signed-in user, or an API key acting for its owner within its scope. */
export type Actor =
  | { kind: 'user'; userId: string; email: string; name: string; role: Role }
  | {
      kind: 'key';
      keyId: string;
      keyPrefix: string;
      userId: string;
      email: string;
      name: string;
      role: Role;
      scope: KeyScope;
      /** For predict keys: the models it may call; undefined means every model. */
      models?: string[];
    };

/** A request that named a credential which is not good: answered 401 with this message. */
export class BadCredentialError extends Error {
  override name = 'BadCredentialError';
}

const BEARER_SCHEME = /^Bearer(\s|$)/i;
const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * The actor behind a request's headers: a Bearer API key wins over a session cookie; null when
 * neither is present. A key that is revoked, expired, mistyped or whose owner is deactivated is a
 * BadCredentialError, never a silent fall-back to anonymous. Other Authorization schemes (Basic from
 * a reverse proxy's own login, say) are not Pipewright's: the session cookie decides then.
 */
export async function resolveActor(auth: Auth, db: Database, headers: Headers): Promise<Actor | null> {
  const authorization = headers.get('authorization')?.trim();
  if (authorization !== undefined && BEARER_SCHEME.test(authorization)) {
    return actorOfKey(auth, db, authorization);
  }
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  const role = roleSchema.safeParse(session.user.role);
  if (!role.success || session.user.banned) return null;
  return {
    kind: 'user',
    userId: session.user.id,
    email: session.user.email,
    name: session.user.name,
    role: role.data,
  };
}

async function actorOfKey(auth: Auth, db: Database, authorization: string): Promise<Actor> {
  const key = BEARER.exec(authorization)?.[1];
  if (key === undefined) {
    throw new BadCredentialError('The Authorization header must be "Bearer <API key>"');
  }
  const verified = await auth.api.verifyApiKey({ body: { key } });
  const refused = new BadCredentialError(
    'This API key is not valid: it was revoked, has expired or is mistyped. Create a new one on the API keys page.',
  );
  if (!verified.valid || !verified.key) throw refused;
  const metadata = keyMetadataSchema.safeParse(verified.key.metadata);
  const owner = await findUserById(db, verified.key.referenceId);
  const role = roleSchema.safeParse(owner?.role);
  if (!metadata.success || !owner || owner.banned || !role.success) throw refused;
  return {
    kind: 'key',
    keyId: verified.key.id,
    keyPrefix: verified.key.start ?? '',
    userId: owner.id,
    email: owner.email,
    name: owner.name,
    role: role.data,
    scope: metadata.data.scope,
    models: metadata.data.models,
  };
}
