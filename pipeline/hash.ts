import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import canonicalize from 'canonicalize';

/**
 * SHA-256 of a value's canonical JSON (RFC 8785: sorted keys, fixed number format), so equal
 * configs hash equally whatever their key order. Isomorphic: the editor computes the same hashes.
 */
export function hashValue(value: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalize(value) ?? 'null')));
}
