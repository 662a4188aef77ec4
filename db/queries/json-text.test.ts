import { describe, expect, it } from 'vitest';
import { jsonText } from './json-text';

describe('jsonText', () => {
  it('leaves NUL out of strings, wherever it stands, and nothing else', () => {
    const value = { a: 'x\u0000y', b: ['\u0000', '\u0000\u0000z'], c: 1, '\u0000k': true };
    expect(JSON.parse(jsonText(value))).toEqual({ a: 'xy', b: ['', 'z'], c: 1, k: true });
  });

  it('keeps a backslash followed by the text u0000, which is not a NUL', () => {
    const value = { path: '\\u0000', both: '\\\u0000', many: '\\\\u0000' };
    expect(JSON.parse(jsonText(value))).toEqual({ path: '\\u0000', both: '\\', many: '\\\\u0000' });
  });

  it('writes null for undefined', () => {
    expect(jsonText(undefined)).toBe('null');
  });
});
