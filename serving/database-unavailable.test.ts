import { describe, expect, it } from 'vitest';
import { databaseErrorCode, isDatabaseUnavailable } from './database-unavailable';

function failure(code: string, name = 'Error'): Error {
  const error = Object.assign(new Error('failed'), { code });
  error.name = name;
  return error;
}

describe('isDatabaseUnavailable', () => {
  it('says yes for connection failures and for PostgreSQL shutting down, starting or out of connections', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'CONNECTION_CLOSED', 'CONNECT_TIMEOUT']) {
      expect(isDatabaseUnavailable(failure(code)), code).toBe(true);
    }
    for (const code of ['57P01', '57P03', '53300', '08006']) {
      expect(isDatabaseUnavailable(failure(code, 'PostgresError')), code).toBe(true);
    }
  });

  it('says no for a statement PostgreSQL refused, a programming error or anything else', () => {
    for (const code of ['22P05', '23505', '42P01']) {
      expect(isDatabaseUnavailable(failure(code, 'PostgresError')), code).toBe(false);
    }
    expect(isDatabaseUnavailable(failure('UNDEFINED_VALUE'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('plain'))).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });

  it('names a failure by its code only, never by its message', () => {
    const failed = Object.assign(new Error('duplicate key value (secret)=(pw_abc)'), { code: '23505' });
    expect(databaseErrorCode(failed)).toBe('23505');
    expect(databaseErrorCode(new Error('SELECT * FROM api_keys'))).toBe('unknown error');
  });
});
