import { DrizzleQueryError } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logAuthLine } from './auth-logger';

afterEach(() => vi.restoreAllMocks());

describe('better-auth log lines', () => {
  it('keep the failed query and its cause, never its parameters or other values', () => {
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => lines.push(line));
    const failed = new DrizzleQueryError(
      'update "accounts" set "password" = $1 where "user_id" = $2',
      ['c577c3ad:hash-of-the-password', 'user-1'],
      new Error('canceling statement due to statement timeout'),
    );
    // better-auth logs some errors by their message alone, others with the error beside it.
    logAuthLine('error', failed.message);
    logAuthLine('error', 'Error', failed, { session: { token: 'session-token-1' } });
    expect(lines).toEqual([
      '[better-auth] Failed query: update "accounts" set "password" = $1 where "user_id" = $2\nparams: (not logged)',
      '[better-auth] Error Failed query: update "accounts" set "password" = $1 where "user_id" = $2\n(its parameters are not logged)\ncause: Error: canceling statement due to statement timeout [object]',
    ]);
  });
});
