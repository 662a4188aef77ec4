import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, publicUrl, readEnv } from './env';

describe('readEnv', () => {
  it('fills defaults for an empty environment', () => {
    const env = readEnv({});
    expect(env).toEqual({
      DATABASE_URL: undefined,
      TEMPORAL_ADDRESS: undefined,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_CLI: undefined,
      PIPEWRIGHT_TASK_QUEUE: undefined,
      PORT: 3000,
      SERVE_PORT: 3001,
      PIPEWRIGHT_PREDICTION_LOG: 'on',
      PIPEWRIGHT_PREDICTION_LOG_DAYS: 30,
      DATA_DIR: path.resolve('.data'),
      HOST: '127.0.0.1',
      PIPEWRIGHT_PUBLIC_URL: undefined,
      PIPEWRIGHT_DATA_FOLDERS: [],
      PIPEWRIGHT_UPLOAD_QUOTA_BYTES: 20 * 1024 ** 3,
      PIPEWRIGHT_TRUSTED_PROXIES: [],
      PIPEWRIGHT_WEBHOOK_ALLOW: [],
      PIPEWRIGHT_SMTP_FROM: 'Pipewright <pipewright@localhost>',
    });
  });

  it('takes an smtp:// or smtps:// PIPEWRIGHT_SMTP_URL, and refuses anything else without echoing it', () => {
    expect(
      readEnv({ PIPEWRIGHT_SMTP_URL: 'smtps://ops:pa55@mail.example.com:465' }).PIPEWRIGHT_SMTP_URL,
    ).toBe('smtps://ops:pa55@mail.example.com:465');
    const refused = () => readEnv({ PIPEWRIGHT_SMTP_URL: 'http://ops:pa55@mail.example.com' });
    expect(refused).toThrow(
      'Invalid environment: PIPEWRIGHT_SMTP_URL must be an SMTP address, for example smtp://user:password@mail.example.com:587',
    );
    expect(refused).not.toThrow(/pa55/);
  });

  it('reads the data folders as absolute paths and refuses a public URL with a path', () => {
    const env = readEnv({ PIPEWRIGHT_DATA_FOLDERS: `shared${path.delimiter} /srv/data ${path.delimiter}` });
    expect(env.PIPEWRIGHT_DATA_FOLDERS).toEqual([path.resolve('shared'), '/srv/data']);
    expect(publicUrl(readEnv({ PORT: '4100' })).origin).toBe('http://localhost:4100');
    expect(() => readEnv({ PIPEWRIGHT_PUBLIC_URL: 'https://a.example/app' })).toThrow(
      /PIPEWRIGHT_PUBLIC_URL must be the origin users open/,
    );
    expect(() => readEnv({ HOST: '0.0.0.0; rm -rf /' })).toThrow(/HOST must be an IP address or host name/);
  });

  it('takes HOST as an address or host name, and refuses anything else', () => {
    expect(readEnv({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(readEnv({ HOST: '::' }).HOST).toBe('::');
    expect(() => readEnv({ HOST: '0.0.0.0; rm -rf /' })).toThrow(
      'Invalid environment: HOST must be an IP address or host name, for example 127.0.0.1 or 0.0.0.0',
    );
  });

  it('treats blank values as unset', () => {
    expect(readEnv({ PORT: ' ', DATABASE_URL: '' }).PORT).toBe(3000);
  });

  it('reads given values', () => {
    const env = readEnv({
      PORT: '4100',
      DATABASE_URL: 'postgres://u:p@db:5432/x',
      TEMPORAL_ADDRESS: 'tmp:7233',
    });
    expect(env.PORT).toBe(4100);
    expect(env.DATABASE_URL).toBe('postgres://u:p@db:5432/x');
    expect(env.TEMPORAL_ADDRESS).toBe('tmp:7233');
  });

  it('names every bad variable in one message', () => {
    const read = () => readEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TEMPORAL_ADDRESS: 'nohost' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/PORT .*DATABASE_URL|DATABASE_URL .*PORT/);
    expect(read).toThrow(/TEMPORAL_ADDRESS must be host:port/);
    expect(() => readEnv({ PORT: '0' })).toThrow('Invalid environment: PORT must be between 1 and 65535');
  });

  it.each(['PIPEWRIGHT_TRUSTED_PROXIES', 'PIPEWRIGHT_WEBHOOK_ALLOW'] as const)(
    'reads %s as addresses and CIDR ranges, and refuses anything else',
    (name) => {
      expect(readEnv({})[name]).toEqual([]);
      expect(readEnv({ [name]: ' 10.0.0.5, 172.18.0.0/16,::1,fd00::/8 ' })[name]).toEqual([
        '10.0.0.5',
        '172.18.0.0/16',
        '::1',
        'fd00::/8',
      ]);
      for (const bad of ['proxy.local', '10.0.0.0/33', '10.0.0.1/8/2', '10.0.0.0/', '::1/129']) {
        expect(() => readEnv({ [name]: bad }), bad).toThrow(
          `Invalid environment: ${name} must be IP addresses or CIDR ranges separated by commas, for example 10.0.0.5,172.18.0.0/16`,
        );
      }
    },
  );
});
