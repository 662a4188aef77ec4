/**
 * A value as JSON text for a jsonb parameter (sent as text and cast: postgres.js's json() helper
 * tags its parameter with the jsonb type, for which it has no serializer). jsonb cannot hold the
 * NUL character, so it is left out of strings rather than failing the statement.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, each: unknown) =>
    typeof each === 'string' && each.includes('\u0000') ? each.replaceAll('\u0000', '') : each,
  );
}
