/**
 * Where to go after signing in: a page of this site, never another origin. The browser's own URL
 * parser decides (it reads `/\evil.com` as `//evil.com`, which a prefix check misses); what is kept
 * is the path, query and fragment of a same-origin address.
 */
export function safeNext(next: string | undefined, origin: string): string {
  if (!next) return '/';
  let target: URL;
  try {
    target = new URL(next, origin);
  } catch {
    return '/';
  }
  if (target.origin !== new URL(origin).origin) return '/';
  return `${target.pathname}${target.search}${target.hash}`;
}
