import { z } from 'zod';
import { permissionSchema } from '../../access/roles';
import type { AppRouter } from '../../app/_server/root';

const procedureSchema = z.object({
  _def: z.looseObject({
    type: z.enum(['query', 'mutation', 'subscription']),
    meta: z.looseObject({ permission: z.unknown() }).optional(),
  }),
});

export interface ListedProcedure {
  /** Dotted, as clients call it: "pipelines.list". */
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  /** The permission its meta declares; a failed parse when it declares none. */
  permission: ReturnType<typeof permissionSchema.safeParse>;
}

/**
 * Every procedure of the router, from tRPC's own flat list (so one added later is listed too),
 * with its type and the permission it declares.
 */
export function proceduresOf(router: AppRouter): ListedProcedure[] {
  const listed: Array<[string, unknown]> = Object.entries(router._def.procedures);
  return listed.map(([path, procedure]) => {
    // Procedures are functions, which a zod object refuses: read the one property it needs.
    const { _def } = procedureSchema.parse({ _def: propertyOf(procedure, '_def') });
    return { path, type: _def.type, permission: permissionSchema.safeParse(_def.meta?.permission) };
  });
}

/** A property of a function or object; undefined for anything else. */
export function propertyOf(value: unknown, key: string): unknown {
  return typeof value === 'function' || (typeof value === 'object' && value !== null)
    ? Reflect.get(value, key)
    : undefined;
}
