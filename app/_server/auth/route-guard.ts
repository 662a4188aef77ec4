import type { Permission } from '../../../access/roles';
import { clientAddress } from '../../../runtime/auth/client-address';
import { appServices } from '../app-services';
import type { Services } from '../services';
import { unexpectedErrorResponse } from '../unexpected-error';
import { BadCredentialError } from './actor';
import { refusalOf } from './authorize';
import { callerOf, type RequestCaller } from './request-actor';

/** What a guarded route handler receives besides the request: its caller and its services. */
export interface GuardedContext<P> {
  caller: RequestCaller;
  services: Services;
  params: P;
}

type RouteHandler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

/** A route handler that carries the permission it checks, so the access matrix test can read it. */
export type GuardedRoute<P> = RouteHandler<P> & { permission: Permission };

/**
 * The route handlers' one authorization check (tRPC's is the `authorize` middleware, with the same
 * rules): the caller is resolved from the session cookie or Bearer key, and refused with 401 or 403
 * and a sentence before the handler runs. Unexpected failures answer with an error id, never a stack.
 */
export function guardRoute<P = Record<string, never>>(
  permission: Permission,
  handler: (request: Request, context: GuardedContext<P>) => Promise<Response>,
): GuardedRoute<P> {
  const guarded: RouteHandler<P> = async (request, context) => {
    const where = `${request.method} ${new URL(request.url).pathname}`;
    try {
      const services = appServices();
      let caller: RequestCaller;
      try {
        // A public route (health) answers even when the database, which sessions live in, is down.
        caller =
          permission === 'public'
            ? { actor: null, ipAddress: clientAddress(request.headers) }
            : await callerOf(services, request);
      } catch (error) {
        if (error instanceof BadCredentialError)
          return Response.json({ error: error.message }, { status: 401 });
        throw error;
      }
      const refusal = refusalOf(caller.actor, permission);
      if (refusal) return Response.json({ error: refusal.message }, { status: refusal.status });
      return await handler(request, { caller, services, params: await context.params });
    } catch (error) {
      return unexpectedErrorResponse(error, where);
    }
  };
  return Object.assign(guarded, { permission });
}
