/**
 * A value's canonical JSON (RFC 8785): object keys sorted by UTF-16 code units, numbers as
 * ECMAScript writes them, no whitespace, so equal values give equal text whatever their key order.
 * It is the text a step's hash is taken of.
 *
 * Written here rather than taken from the canonicalize package, which calls JSON.stringify for
 * every key and value and builds each level by `reduce` over template strings: that was the largest
 * single cost of compiling a 10,000-step pipeline. For JSON values it writes exactly what
 * canonicalize writes (canonical-json.test.ts compares the two), so stored step hashes, and the
 * cache that keys on them, stay valid.
 */
export function canonicalJson(value: unknown): string {
  return written(value) ?? 'null';
}

/**
 * Keys in UTF-16 code-unit order, as RFC 8785 wants (and as `<` on strings compares). An insertion
 * sort for the few keys a config object has: Array.prototype.sort costs a fixed quarter of a
 * microsecond or so per call, which over the four objects of each of 10,000 steps was a third of
 * the time spent writing canonical JSON. Long lists go to Array.prototype.sort.
 */
function sortedInPlace(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  for (let index = 1; index < keys.length; index++) {
    const key = keys[index] ?? '';
    let at = index;
    for (; at > 0 && (keys[at - 1] ?? '') > key; at--) keys[at] = keys[at - 1] ?? '';
    keys[at] = key;
  }
  return keys;
}

/** Characters a JSON string must escape; a string without them is written as it is, in quotes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes.
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

function quoted(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** The value's text; undefined for what JSON leaves out (undefined, a function, a symbol). */
function written(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return quoted(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`${value} is not allowed in canonical JSON`);
      // Number's own text is JSON's (and RFC 8785's): shortest round-trip form, -0 as 0.
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return writtenList(value);
      if ('toJSON' in value && typeof value.toJSON === 'function') return written(value.toJSON());
      return writtenObject(value);
    default:
      return undefined;
  }
}

function writtenList(list: unknown[]): string {
  let text = '[';
  for (let index = 0; index < list.length; index++) {
    if (index > 0) text += ',';
    // As in JSON.stringify: what JSON leaves out is written null inside a list.
    text += written(list[index]) ?? 'null';
  }
  return `${text}]`;
}

function writtenObject(object: object): string {
  let text = '';
  for (const key of sortedInPlace(Object.keys(object))) {
    const item = written(Reflect.get(object, key));
    if (item === undefined) continue;
    text += `${text === '' ? '' : ','}${quoted(key)}:${item}`;
  }
  return `{${text}}`;
}
