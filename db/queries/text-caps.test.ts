import { describe, expect, it } from 'vitest';
import { capStoredText, cutToBytes } from './text-caps';

const byteLength = (text: string) => new TextEncoder().encode(text).length;

describe('cutToBytes', () => {
  it('leaves short text alone', () => {
    expect(cutToBytes('héllo', 6)).toBe('héllo');
  });

  it('cuts multibyte text by bytes, never inside a character', () => {
    // 'é' is 2 bytes, '€' 3, '😀' 4 (a surrogate pair in JavaScript).
    expect(cutToBytes('éééé', 5)).toBe('éé');
    expect(cutToBytes('€€€', 8)).toBe('€€');
    expect(cutToBytes('a😀b', 4)).toBe('a');
    expect(cutToBytes('a😀b', 5)).toBe('a😀');
    const long = '漢'.repeat(5_000);
    const cut = cutToBytes(long, 200);
    expect(byteLength(cut)).toBe(198);
    expect(cut).toBe('漢'.repeat(66));
  });
});

describe('capStoredText', () => {
  it('leaves text within the cap alone', () => {
    expect(capStoredText('x'.repeat(100), 100)).toBe('x'.repeat(100));
  });

  it('keeps the head and the tail and says how much was cut', () => {
    const text = `${'h'.repeat(500)}${'m'.repeat(9_000)}${'t'.repeat(500)}`;
    const capped = capStoredText(text, 1_000);
    expect(capped).toBe(
      `${'h'.repeat(500)}${'m'.repeat(250)}\n… [9,000 characters cut] …\n${'t'.repeat(250)}`,
    );
  });

  it('counts characters, not UTF-16 units', () => {
    const capped = capStoredText('😀'.repeat(20), 8);
    expect(capped).toBe(`${'😀'.repeat(6)}\n… [12 characters cut] …\n${'😀'.repeat(2)}`);
  });
});
