import { z } from 'zod';

/**
 * Who may do what, in one place. Browser-safe (the UI greys out what a role may not do) and the only
 * source the server's authorization middleware reads.
 */
export const roles = ['viewer', 'editor', 'operator', 'admin'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/**
 * What a procedure or route needs. `signedIn` is anything a signed-in account does for itself
 * (its own keys, its password); `public` needs nobody.
 */
export const permissions = [
  'public',
  'signedIn',
  'read',
  'edit',
  'run',
  'promote',
  'schedule',
  'predict',
  'admin',
] as const;
export const permissionSchema = z.enum(permissions);
export type Permission = z.infer<typeof permissionSchema>;

// Every role may ask a served model for predictions (with a predict key, or trying it in the UI).
const roleGrants: Record<Role, readonly Permission[]> = {
  viewer: ['public', 'signedIn', 'read', 'predict'],
  editor: ['public', 'signedIn', 'read', 'predict', 'edit', 'run'],
  operator: ['public', 'signedIn', 'read', 'predict', 'edit', 'run', 'promote', 'schedule'],
  admin: permissions,
};

export function roleMay(role: Role, permission: Permission): boolean {
  return roleGrants[role].includes(permission);
}

/** The scopes a key is given; a key never does more than its owner's role allows. */
export const keyScopes = ['read', 'run', 'predict', 'admin'] as const;
export const keyScopeSchema = z.enum(keyScopes);
export type KeyScope = z.infer<typeof keyScopeSchema>;

const scopeGrants: Record<KeyScope, readonly Permission[]> = {
  read: ['public', 'read'],
  run: ['public', 'read', 'run'],
  predict: ['public', 'predict'],
  admin: permissions,
};

/**
 * What Pipewright keeps in an API key's metadata (better-auth stores it as JSON text): its scope and,
 * for predict keys, the models it may call (none: every model). The app and the serving process read it.
 */
export const keyMetadataSchema = z.object({
  scope: keyScopeSchema,
  models: z.array(z.string()).optional(),
});
export type KeyMetadata = z.infer<typeof keyMetadataSchema>;

export function scopeMay(scope: KeyScope, permission: Permission): boolean {
  return scopeGrants[scope].includes(permission);
}

/** Whether an account of this role may hold a key of this scope (a viewer cannot mint a run key). */
export function roleMayHoldScope(role: Role, scope: KeyScope): boolean {
  return roleMay(role, scope);
}

/** Words for a refusal and for the tooltip on a disabled control. */
export const permissionNeeds: Record<Permission, string> = {
  public: 'nothing',
  signedIn: 'a signed-in account',
  read: 'the viewer role or higher',
  edit: 'the editor role or higher',
  run: 'the editor role or higher',
  promote: 'the operator role or higher',
  schedule: 'the operator role or higher',
  predict: 'a predict key',
  admin: 'the admin role',
};

/** What a permission lets one do, for refusals ("… may not edit pipelines"). */
export const permissionActions: Record<Permission, string> = {
  public: 'use Pipewright',
  signedIn: "manage this account's keys and password",
  read: 'read pipelines, runs and models',
  edit: 'create, edit or import pipelines',
  run: 'start, cancel or re-run runs',
  promote: 'promote models',
  schedule: 'manage schedules and monitors',
  predict: 'ask models for predictions',
  admin: 'manage users, keys, connections or the audit log',
};
