/**
 * A value as JSON text for a jsonb parameter (sent as text and cast: postgres.js's json() helper
 * tags its parameter with the jsonb type, for which it has no serializer). jsonb cannot hold the
 * NUL character, so it is left out of strings rather than failing the statement.
 *
 * The plain JSON.stringify keeps V8's fast path (a replacer function costs several times more, and
 * the prediction log calls this for every prediction); NUL shows in its output as the escape
 * `\u0000`, removed afterwards unless its backslash is itself escaped (an odd run of backslashes).
 */
export function jsonText(value: unknown): string {
  const text = JSON.stringify(value ?? null);
  return text.includes('\\u0000') ? text.replace(ESCAPED_NUL, '$1') : text;
}

/** `\u0000` preceded by an even number of backslashes (its own backslash then starts an escape). */
const ESCAPED_NUL = /(?<!\\)((?:\\\\)*)\\u0000/g;
