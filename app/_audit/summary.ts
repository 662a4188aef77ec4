/** Longest a single value runs in the table's details column before it is cut. */
const MAX_VALUE = 60;

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/**
 * One line for an entry's details in the audit table: a rename as "old → new", other fields as
 * "name: value". The key prefix is left out: the actor column shows it.
 */
export function summariseDetails(details: unknown): string {
  if (typeof details !== 'object' || details === null || Array.isArray(details)) {
    return details === null || details === undefined ? '' : shown(details);
  }
  const { keyPrefix: _keyPrefix, from, to, ...rest } = Object.fromEntries(Object.entries(details));
  const parts: string[] = [];
  if (from !== undefined || to !== undefined) parts.push(`${shown(from ?? '')} → ${shown(to ?? '')}`);
  for (const [name, value] of Object.entries(rest)) {
    if (value !== null && value !== undefined) parts.push(`${name}: ${shown(value)}`);
  }
  return parts.join(' · ');
}

/** The key an entry was made with, when it was (see auditActor). */
export function keyPrefixOf(details: unknown): string | undefined {
  if (typeof details !== 'object' || details === null || !('keyPrefix' in details)) return undefined;
  return typeof details.keyPrefix === 'string' ? details.keyPrefix : undefined;
}
