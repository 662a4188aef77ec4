import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { hashValue } from './hash';

describe('hashValue', () => {
  it('gives the digest the editor computes (pure-JavaScript SHA-256 of the canonical JSON)', () => {
    const canonical = '{"a":1,"b":["é",2.5],"c":null}';
    expect(hashValue({ c: null, b: ['é', 2.5], a: 1 })).toBe(bytesToHex(sha256(utf8ToBytes(canonical))));
    expect(hashValue({ a: 1 })).toBe('015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });
});
