import { describe, expect, it } from 'vitest';
import { environmentConnections, environmentUrl } from './environment-connections';

const env = {
  PIPEWRIGHT_CONNECTION_WAREHOUSE: 'postgres://etl%40corp:s3cret@dw.internal:6543/sales%20dw',
  PIPEWRIGHT_CONNECTION_ARCHIVE: 'postgres://reader@archive.internal/old',
  PIPEWRIGHT_CONNECTION_BROKEN: 'not a url',
  PIPEWRIGHT_CONNECTION_ODD: 'postgres://user%zz@odd.internal/db',
  'PIPEWRIGHT_CONNECTION_BAD-NAME': 'postgres://x@y/z',
  PIPEWRIGHT_CONNECTION_EMPTY: '',
  OTHER: 'postgres://a:b@c/d',
};

describe('environment connections', () => {
  it("lists the server's connections by name with the URL's parts, never the password", () => {
    const listed = environmentConnections(env);
    expect(listed.map(({ url: _url, ...rest }) => rest)).toEqual([
      {
        name: 'ARCHIVE',
        host: 'archive.internal',
        port: 5432,
        database: 'old',
        username: 'reader',
        hasPassword: false,
      },
      {
        name: 'BROKEN',
        host: '(not a postgres:// URL)',
        port: undefined,
        database: '',
        username: '',
        hasPassword: false,
      },
      {
        name: 'ODD',
        host: 'odd.internal',
        port: 5432,
        database: 'db',
        username: 'user%zz',
        hasPassword: false,
      },
      {
        name: 'WAREHOUSE',
        host: 'dw.internal',
        port: 6543,
        database: 'sales dw',
        username: 'etl@corp',
        hasPassword: true,
      },
    ]);
  });

  it('finds the URL of a name in any case', () => {
    expect(environmentUrl(env, 'warehouse')).toBe(env.PIPEWRIGHT_CONNECTION_WAREHOUSE);
    expect(environmentUrl(env, 'nowhere')).toBeUndefined();
  });
});
