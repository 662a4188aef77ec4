import { describe, expect, it } from 'vitest';
import { connectionFieldsSchema, connectionNameSchema, scrubSecrets } from './connection-settings';

describe('connection settings', () => {
  it('masks the password, its URL-encoded form and any postgres:// URL in a message', () => {
    expect(
      scrubSecrets('login p@ss/w0rd failed (p%40ss%2Fw0rd) at postgres://u:p@ss@db:5432/x now', [
        'p@ss/w0rd',
      ]),
    ).toBe('login •••••••• failed (••••••••) at postgres://… now');
    expect(scrubSecrets('nothing secret', [undefined, ''])).toBe('nothing secret');
  });

  it('accepts names like the environment variables and refuses others with a sentence', () => {
    expect(connectionNameSchema.parse('SALES_DB')).toBe('SALES_DB');
    for (const bad of ['1db', 'sales-db', '', 'a'.repeat(64), 'x; drop'])
      expect(connectionNameSchema.safeParse(bad).error?.issues[0]?.message).toBe(
        'Use letters, digits and _, starting with a letter (at most 63), e.g. SALES_DB',
      );
  });

  it('refuses a host that is not a host name or address, and a port out of range', () => {
    const fields = { host: 'db.example.com', port: 5432, database: 'sales', username: 'reader', options: {} };
    expect(connectionFieldsSchema.parse(fields).options.sslmode).toBe('require');
    expect(
      connectionFieldsSchema.safeParse({ ...fields, host: 'db host?x=1' }).error?.issues[0]?.message,
    ).toBe('Host must be a host name or an IP address');
    expect(connectionFieldsSchema.safeParse({ ...fields, port: 70000 }).error?.issues[0]?.message).toBe(
      'Port must be between 1 and 65535',
    );
  });
});
