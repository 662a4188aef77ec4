import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson } from './canonical-json';

/**
 * Node's own SHA-256 where the code runs in Node (the API, the CLI and the worker compile every step
 * of a pipeline, and it is about five times faster than the pure-JavaScript one); the browser has
 * no synchronous native digest and uses @noble/hashes. Both give the same digest. Reached through
 * getBuiltinModule rather than an import so the editor's bundle does not try to include node:crypto.
 */
const nodeCrypto =
  typeof process === 'object' && typeof process.getBuiltinModule === 'function'
    ? process.getBuiltinModule('node:crypto')
    : undefined;

function sha256Hex(text: string): string {
  // crypto.hash (Node 20.12+, so wherever getBuiltinModule exists) does it in one call.
  if (nodeCrypto) return nodeCrypto.hash('sha256', text, 'hex');
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/**
 * SHA-256 of a value's canonical JSON (RFC 8785: sorted keys, fixed number format), so equal
 * configs hash equally whatever their key order. Isomorphic: the editor computes the same hashes.
 */
export function hashValue(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
