import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, displayWebhookUrl, openWebhookUrl, sealWebhookUrl } from './webhook-url';

describe('webhook URLs', () => {
  it('shows scheme, host, first segment and a four-character hint, never user, password or query', () => {
    const shown = (text: string) => displayWebhookUrl(checkWebhookUrl(text));
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
    expect(() => checkWebhookUrl('ftp://example.com/x')).toThrow(
      'Webhook URL: must start with https:// or http://',
    );
    expect(() => checkWebhookUrl('not a url')).toThrow('Webhook URL: must be a full address');
    expect(() => checkWebhookUrl(`https://example.com/${'a'.repeat(2000)}`)).toThrow(
      'at most 2,000 characters',
    );
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
