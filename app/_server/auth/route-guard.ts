import type { Permission } from '../../../access/roles';
import { clientAddress } from '../../../runtime/auth/client-address';
import { appServices } from '../app-services';
import type { Services } from '../services';
import { unexpectedErrorResponse } from '../unexpected-error';
import type { Actor } from './actor';
import { BadCredentialError } from './actor';
import { refusalOf } from './authorize';
import { callerOf } from './request-actor';

/** A permission only a caller (a session or a key) can have: every one but 'public'. */
export type CallerPermission = Exclude<Permission, 'public'>;

/** The caller of a guarded route: the guard has refused everyone else, so there is one. */
export interface SignedInCaller {
  actor: Actor;
  ipAddress: string | null;
}

/** The caller of a public route: the guard does not look at credentials (health answers without a database). */
export interface PublicCaller {
  actor: null;
  ipAddress: string | null;
}

/** What a route handler receives besides the request: its caller, its services and its path parameters. */
export interface GuardedContext<P, C = SignedInCaller> {
  caller: C;
  services: Services;
  params: P;
}

type RouteHandler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

/** A route handler that carries the permission it checks, so the access matrix test can read it. */
export type GuardedRoute<P> = RouteHandler<P> & { permission: Permission };

/**
 * The route handlers' one authorization check (tRPC's is the `authorize` middleware, with the same
 * rules): the caller is resolved from the session cookie or Bearer key, and refused with 401 or 403
 * and a sentence before the handler runs, so the handler's caller.actor is always an Actor.
 * Unexpected failures answer with an error id, never a stack.
 */
export function guardRoute<P = Record<string, never>>(
  permission: CallerPermission,
  handler: (request: Request, context: GuardedContext<P>) => Promise<Response>,
): GuardedRoute<P> {
  return answering(permission, async (request, services, params) => {
    const caller = await allowedCaller(services, request, permission);
    if (caller instanceof Response) return caller;
    return handler(request, { caller, services, params });
  });
}

/** A route anybody may call (health, the OpenAPI document): carries 'public' for the matrix test. */
export function publicRoute<P = Record<string, never>>(
  handler: (request: Request, context: GuardedContext<P, PublicCaller>) => Promise<Response>,
): GuardedRoute<P> {
  return answering('public', (request, services, params) =>
    handler(request, {
      caller: { actor: null, ipAddress: clientAddress(request.headers) },
      services,
      params,
    }),
  );
}

/** The caller when allowed, else the refusal to answer (401 for a bad or missing credential, 403). */
async function allowedCaller(
  services: Services,
  request: Request,
  permission: CallerPermission,
): Promise<SignedInCaller | Response> {
  let caller: Awaited<ReturnType<typeof callerOf>>;
  try {
    caller = await callerOf(services, request);
  } catch (error) {
    if (error instanceof BadCredentialError) return Response.json({ error: error.message }, { status: 401 });
    throw error;
  }
  const refusal = refusalOf(caller.actor, permission);
  if (refusal) return Response.json({ error: refusal.message }, { status: refusal.status });
  // refusalOf refuses every non-public permission to nobody; this tells the compiler so.
  if (caller.actor === null) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  return { actor: caller.actor, ipAddress: caller.ipAddress };
}

/** The handler with its permission attached, its services and parameters given, its failures caught. */
function answering<P>(
  permission: Permission,
  answer: (request: Request, services: Services, params: P) => Promise<Response>,
): GuardedRoute<P> {
  const route: RouteHandler<P> = async (request, context) => {
    const where = `${request.method} ${new URL(request.url).pathname}`;
    try {
      return await answer(request, appServices(), await context.params);
    } catch (error) {
      return unexpectedErrorResponse(error, where);
    }
  };
  return Object.assign(route, { permission });
}
