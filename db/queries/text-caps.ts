/**
 * Limits on text we store or announce. A step's error can be any size (a whole CSV cell, a stack of
 * nested causes); PostgreSQL's NOTIFY refuses payloads over 8,000 bytes, and nobody reads megabytes
 * of error in a run view.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
export function cutToBytes(text: string, maxBytes: number): string {
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  // UTF-8 continuation bytes look like 10xxxxxx: step back to the start of the character.
  while (end > 0 && ((bytes[end] ?? 0) & 0b1100_0000) === 0b1000_0000) end--;
  return decoder.decode(bytes.subarray(0, end));
}

/** Longest stored error or log message, in characters: enough for any message a person reads. */
export const STORED_TEXT_MAX_CHARS = 4_000;

/**
 * `text` unchanged when short; otherwise its head and tail (where a message usually says what failed
 * and why) around a note saying how many characters were cut.
 */
export function capStoredText(text: string, maxChars = STORED_TEXT_MAX_CHARS): string {
  // Most messages are short: UTF-16 length is never below the count of characters, so skip the split.
  if (text.length <= maxChars) return text;
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  const cut = chars.length - maxChars;
  const head = Math.ceil((maxChars * 3) / 4);
  const tail = maxChars - head;
  return `${chars.slice(0, head).join('')}\n… [${cut.toLocaleString('en-US')} characters cut] …\n${chars.slice(chars.length - tail).join('')}`;
}
