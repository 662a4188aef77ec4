/**
 * Whether a production request goes to staging under a canary of `percent`. A request that names
 * itself (an X-Request-Id header, as clients send when they retry) is routed by a hash of that id,
 * so its retries land on the same version; others are drawn at random, per request.
 */
export function inCanary(requestKey: string | string[] | undefined, percent: number): boolean {
  const key = Array.isArray(requestKey) ? requestKey[0] : requestKey;
  if (key === undefined || key === '') return Math.random() * 100 < percent;
  return bucketOf(key) < percent;
}

/** FNV-1a of the key, folded to 0..99: cheap, and spread evenly enough for a traffic split. */
export function bucketOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index += 1) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 100;
}
