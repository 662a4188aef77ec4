import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, displayWebhookUrl, openWebhookUrl, sealWebhookUrl } from './webhook-url';

describe('webhook URLs', () => {
  it('shows scheme, host, first segment and a four-character hint, never user, password or query', () => {
    const shown = (text: string) => displayWebhookUrl(checkWebhookUrl(text, ['127.0.0.1']));
    expect(shown('https://hooks.slack.com/services/T0001/B0002/XXXXsecretYYYY')).toBe(
      'https://hooks.slack.com/services/…YYYY',
    );
    expect(shown('https://user:pa55@example.com/hook?token=abcdefghij')).toBe(
      'https://example.com/hook/…ghij',
    );
    expect(shown('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(shown('https://example.com/a/b')).toBe('https://example.com/a/…');
  });

  it('refuses what is not an http(s) address, naming the field', () => {
    expect(() => checkWebhookUrl('ftp://example.com/x', [])).toThrow(
      'Webhook URL: must start with https:// or http://',
    );
    expect(() => checkWebhookUrl('not a url', [])).toThrow('Webhook URL: must be a full address');
    expect(() => checkWebhookUrl(`https://example.com/${'a'.repeat(2000)}`, [])).toThrow(
      'at most 2,000 characters',
    );
  });

  it('refuses an IP address that is not public unless allowed; names are left to the call', () => {
    const refusal = (host: string) =>
      `Webhook URL: ${host} is not a public address; webhooks may reach it only if PIPEWRIGHT_WEBHOOK_ALLOW lists it`;
    for (const [url, host] of [
      ['http://127.0.0.1:8080/hook', '127.0.0.1'],
      ['http://169.254.169.254/latest/meta-data', '169.254.169.254'],
      ['https://10.0.0.7/hook', '10.0.0.7'],
      ['http://[::1]/hook', '[::1]'],
      ['http://[::ffff:192.168.1.1]/hook', '[::ffff:c0a8:101]'],
      ['http://0.0.0.0/hook', '0.0.0.0'],
    ] as const)
      expect(() => checkWebhookUrl(url, []), url).toThrow(refusal(host));
    expect(checkWebhookUrl('http://127.0.0.1:8080/hook', ['127.0.0.1']).port).toBe('8080');
    expect(checkWebhookUrl('https://10.0.0.7/hook', ['10.0.0.0/8']).hostname).toBe('10.0.0.7');
    expect(() => checkWebhookUrl('https://10.0.0.7/hook', ['10.1.0.0/16'])).toThrow(refusal('10.0.0.7'));
    expect(checkWebhookUrl('https://93.184.215.14/hook', []).hostname).toBe('93.184.215.14');
    expect(checkWebhookUrl('http://localhost/hook', []).hostname).toBe('localhost');
  });

  it('seals a URL so that only its own webhook id and the same secret open it', () => {
    const secret = randomBytes(32);
    const sealed = sealWebhookUrl(secret, 'id-1', 'https://example.com/hook?token=s3cr3t');
    expect(sealed.toString('latin1')).not.toContain('s3cr3t');
    expect(openWebhookUrl(secret, 'id-1', sealed)).toBe('https://example.com/hook?token=s3cr3t');
    expect(() => openWebhookUrl(secret, 'id-2', sealed)).toThrow();
    expect(() => openWebhookUrl(randomBytes(32), 'id-1', sealed)).toThrow();
  });
});
