/**
 * Reads JSON arrays (the prediction log's `inputs`, as serving wrote them) straight from their UTF-8
 * bytes into typed columns, one value per array position, without building a JS array or object
 * per row: a million rows of twenty values would otherwise make twenty million values for the
 * garbage collector. Numbers and booleans go to a Float64Array (NaN when missing; true 1, false 0,
 * as serving feeds the graph), text to a string array (null when missing). A value of the wrong
 * kind for its column (which serving's validation never logs) counts as missing, as does a
 * position the array lacks.
 */

export type JsonColumnKind = 'number' | 'boolean' | 'string';

/** Text values a column keeps decoded, by their bytes: categories repeat, so each is decoded once. */
const MAX_REMEMBERED_TEXTS = 4096;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** 10^0 … 10^22: every one is exact in a double, which the fast number path relies on. */
const EXACT_POWERS = Array.from({ length: 23 }, (_, exponent) => 10 ** exponent);

/** A growing column of one kind; `finish` returns exactly `rows` values. */
export type ColumnSink = NumberSink | TextSink;

export class NumberSink {
  readonly kind: 'number' | 'boolean';
  values: Float64Array;
  constructor(kind: 'number' | 'boolean', capacity: number) {
    this.kind = kind;
    this.values = new Float64Array(Math.max(16, capacity));
  }
  set(row: number, value: number): void {
    if (row >= this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[row] = value;
  }
  finish(rows: number): Float64Array {
    return this.values.length === rows ? this.values : this.values.slice(0, rows);
  }
}

export class TextSink {
  readonly kind = 'string';
  readonly values: (string | null)[] = [];
  /** Decoded texts by a hash of their bytes, each with its bytes to confirm a match. */
  private readonly remembered = new Map<number, { bytes: Uint8Array; text: string }[]>();
  private rememberedCount = 0;
  set(row: number, value: string | null): void {
    // Rows arrive in order, so this is a push; a gap (never made by the reader) would be holes.
    this.values[row] = value;
  }
  /** The text of the bytes [start, end) of a JSON string without escapes, decoded once per distinct value. */
  text(buffer: Buffer, start: number, end: number): string {
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ (buffer[i] ?? 0), 0x01000193);
    const candidates = this.remembered.get(hash);
    if (candidates) {
      for (const candidate of candidates)
        if (sameBytes(candidate.bytes, buffer, start, end)) return candidate.text;
    }
    const text = buffer.toString('utf8', start, end);
    if (this.rememberedCount < MAX_REMEMBERED_TEXTS) {
      const entry = { bytes: Uint8Array.from(buffer.subarray(start, end)), text };
      if (candidates) candidates.push(entry);
      else this.remembered.set(hash, [entry]);
      this.rememberedCount += 1;
    }
    return text;
  }
  finish(rows: number): (string | null)[] {
    if (this.values.length < rows) this.values.length = rows;
    for (let row = 0; row < rows; row++) if (this.values[row] === undefined) this.values[row] = null;
    return this.values;
  }
}

/**
 * Byte by byte in JS: categories are short, and Buffer.compare's call into C++ costs more than the
 * loop (it showed in profiles of a million rows).
 */
function sameBytes(bytes: Uint8Array, buffer: Buffer, start: number, end: number): boolean {
  if (bytes.length !== end - start) return false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== buffer[start + i]) return false;
  return true;
}

export function sinkFor(kind: JsonColumnKind, capacity: number): ColumnSink {
  return kind === 'string' ? new TextSink() : new NumberSink(kind, capacity);
}

/**
 * Reads the JSON array in buffer[start, end) into `row` of the sinks, position i into sinks[i];
 * positions beyond the sinks are skipped. Throws on bytes that are not a JSON array (what serving
 * writes always is one: PostgreSQL checked it on the way in).
 */
export function readJsonArrayRow(
  buffer: Buffer,
  start: number,
  end: number,
  row: number,
  sinks: readonly ColumnSink[],
): void {
  let at = skipSpace(buffer, start, end);
  if (buffer[at] !== OPEN_BRACKET) throw new Error('A logged row of inputs is not a JSON array');
  at = skipSpace(buffer, at + 1, end);
  let position = 0;
  if (buffer[at] === CLOSE_BRACKET) at = end;
  while (at < end) {
    const sink = sinks[position];
    at = sink ? readValue(buffer, at, end, row, sink) : skipValue(buffer, at, end);
    position += 1;
    at = skipSpace(buffer, at, end);
    const next = buffer[at];
    if (next === COMMA) at = skipSpace(buffer, at + 1, end);
    else if (next === CLOSE_BRACKET) break;
    else throw new Error('A logged row of inputs is not a well-formed JSON array');
  }
  // Positions the array lacks are missing values.
  for (; position < sinks.length; position++) setMissing(sinks[position], row);
}

function setMissing(sink: ColumnSink | undefined, row: number): void {
  if (!sink) return;
  if (sink.kind === 'string') sink.set(row, null);
  else sink.set(row, Number.NaN);
}

/** Reads one value at `at` into the sink; returns the offset just past it. */
function readValue(buffer: Buffer, at: number, end: number, row: number, sink: ColumnSink): number {
  const first = buffer[at];
  if (first === QUOTE) {
    const close = stringEnd(buffer, at, end);
    if (sink.kind === 'string') sink.set(row, decodeString(buffer, at, close, sink));
    else sink.set(row, Number.NaN);
    return close + 1;
  }
  if (first === MINUS || (first !== undefined && first >= ZERO && first <= NINE)) {
    const stop = numberEnd(buffer, at, end);
    if (sink.kind === 'string') sink.set(row, null);
    else {
      const value = parseNumber(buffer, at, stop);
      // A boolean column takes 1 and 0 for true and false, as serving does.
      sink.set(row, sink.kind === 'number' || value === 0 || value === 1 ? value : Number.NaN);
    }
    return stop;
  }
  const stop = skipValue(buffer, at, end);
  if (sink.kind === 'boolean' && first === 0x74 /* t */) sink.set(row, 1);
  else if (sink.kind === 'boolean' && first === 0x66 /* f */) sink.set(row, 0);
  else setMissing(sink, row);
  return stop;
}

/** The offset of the closing quote of the string whose opening quote is at `at`. */
function stringEnd(buffer: Buffer, at: number, end: number): number {
  for (let i = at + 1; i < end; i++) {
    const byte = buffer[i];
    if (byte === BACKSLASH) i += 1;
    else if (byte === QUOTE) return i;
  }
  throw new Error('A logged text value is not terminated');
}

function decodeString(buffer: Buffer, open: number, close: number, sink: TextSink): string {
  for (let i = open + 1; i < close; i++) {
    // An escape: rare in categories, so JSON.parse decodes those strings whole.
    if (buffer[i] === BACKSLASH) return String(JSON.parse(buffer.toString('utf8', open, close + 1)));
  }
  return sink.text(buffer, open + 1, close);
}

function numberEnd(buffer: Buffer, at: number, end: number): number {
  let i = at;
  while (i < end) {
    const byte = buffer[i] ?? 0;
    if (
      (byte >= ZERO && byte <= NINE) ||
      byte === MINUS ||
      byte === PLUS ||
      byte === DOT ||
      (byte | 0x20) === 0x65
    )
      i += 1;
    else break;
  }
  return i;
}

/**
 * A JSON number's value. The common case (at most 15 significant digits and a power of ten up to
 * 22) is an integer mantissa times or over an exact power of ten: one correctly rounded operation,
 * so the same double Number() gives (Clinger's fast path). Anything else goes to Number().
 */
export function parseNumber(buffer: Buffer, start: number, end: number): number {
  let i = start;
  const negative = buffer[i] === MINUS;
  if (negative) i += 1;
  let mantissa = 0;
  let digits = 0;
  let exponent = 0;
  let seenDot = false;
  for (; i < end; i++) {
    const byte = buffer[i] ?? 0;
    if (byte >= ZERO && byte <= NINE) {
      if (digits > 0 || byte !== ZERO) digits += 1;
      mantissa = mantissa * 10 + (byte - ZERO);
      if (seenDot) exponent -= 1;
    } else if (byte === DOT && !seenDot) seenDot = true;
    else break;
  }
  // An exponent, or anything else unusual: rare in what serving writes.
  if (i < end) return slowNumber(buffer, start, end);
  if (digits > 15 || exponent < -22) return slowNumber(buffer, start, end);
  const power = EXACT_POWERS[-exponent] ?? 1;
  const value = exponent < 0 ? mantissa / power : mantissa;
  return negative ? -value : value;
}

function slowNumber(buffer: Buffer, start: number, end: number): number {
  const value = Number(buffer.toString('latin1', start, end));
  return Number.isFinite(value) ? value : Number.NaN;
}

function skipSpace(buffer: Buffer, at: number, end: number): number {
  let i = at;
  while (i < end) {
    const byte = buffer[i];
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) i += 1;
    else break;
  }
  return i;
}

/** The offset just past the value at `at`: a scalar, or an array or object with all it holds. */
function skipValue(buffer: Buffer, at: number, end: number): number {
  const first = buffer[at];
  if (first === QUOTE) return stringEnd(buffer, at, end) + 1;
  if (first === OPEN_BRACKET || first === OPEN_BRACE) {
    let depth = 0;
    for (let i = at; i < end; i++) {
      const byte = buffer[i];
      if (byte === QUOTE) i = stringEnd(buffer, i, end);
      else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) depth += 1;
      else if ((byte === CLOSE_BRACKET || byte === CLOSE_BRACE) && --depth === 0) return i + 1;
    }
    throw new Error('A logged value is not terminated');
  }
  let i = at;
  while (i < end) {
    const byte = buffer[i];
    if (byte === COMMA || byte === CLOSE_BRACKET || byte === CLOSE_BRACE || byte === 0x20) break;
    i += 1;
  }
  return i;
}
