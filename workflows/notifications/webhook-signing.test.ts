import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { postWebhook, type WebhookBody } from './webhook-delivery';
import { webhookSigningSecret } from './webhook-signing';

/**
 * A receiver's check, written as a receiver would with node:crypto alone (the README's recipe):
 * recompute HMAC-SHA256 over "<timestamp>.<raw body>" with the secret, compare in constant time,
 * and refuse a timestamp older than five minutes.
 */
function receiverAccepts(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: string,
  nowSeconds: number,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > 300) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
  const given = Buffer.from(headers.signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, Buffer.from(expected));
}

const body: WebhookBody = {
  event: 'model_alert',
  title: 'Model alert',
  pipeline: { id: 'p', name: 'Churn monitor' },
  run: null,
  url: 'http://pipewright.test/models/churn?tab=monitoring',
};

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

describe('webhook signatures', () => {
  it('derives one secret per webhook and generation, the same every time', () => {
    const key = randomBytes(32);
    const secret = webhookSigningSecret(key, 'hook-1', 1);
    expect(secret).toMatch(/^pwsec_[A-Za-z0-9_-]{43}$/);
    expect(webhookSigningSecret(key, 'hook-1', 1)).toBe(secret);
    expect(webhookSigningSecret(key, 'hook-1', 2)).not.toBe(secret);
    expect(webhookSigningSecret(key, 'hook-2', 1)).not.toBe(secret);
    expect(webhookSigningSecret(randomBytes(32), 'hook-1', 1)).not.toBe(secret);
  });

  it('signs each POST so a receiver verifies it, and rejects a changed body, an old timestamp or another secret', async () => {
    const secret = webhookSigningSecret(randomBytes(32), 'hook-1', 1);
    const received: { timestamp: string | undefined; signature: string | undefined; raw: string }[] = [];
    const server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(Buffer.from(chunk));
      received.push({
        timestamp: header(request.headers, 'x-pipewright-timestamp'),
        signature: header(request.headers, 'x-pipewright-signature'),
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      response.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('not listening on a port');
      const before = Math.floor(Date.now() / 1000);
      const outcome = await postWebhook(`http://127.0.0.1:${address.port}/hook`, body, {
        allow: ['127.0.0.1'],
        deliveryId: 'd-1',
        signingSecret: secret,
      });
      expect(outcome).toEqual({ ok: true, httpStatus: 200 });
      const [request] = received;
      if (!request) throw new Error('nothing received');
      expect(Number(request.timestamp)).toBeGreaterThanOrEqual(before);
      expect(request.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(JSON.parse(request.raw)).toEqual(body);
      const now = Math.floor(Date.now() / 1000);

      expect(receiverAccepts(secret, request, request.raw, now)).toBe(true);
      // One character of the body changed: refused.
      expect(receiverAccepts(secret, request, request.raw.replace('Churn', 'Churm'), now)).toBe(false);
      // The same request replayed ten minutes later: refused on its timestamp.
      expect(receiverAccepts(secret, request, request.raw, now + 600)).toBe(false);
      // A timestamp moved forward to pass the age check no longer matches the signature.
      expect(
        receiverAccepts(secret, { ...request, timestamp: String(now + 600) }, request.raw, now + 600),
      ).toBe(false);
      // A rotated secret (the next generation) does not verify the old signature.
      const rotated = webhookSigningSecret(Buffer.alloc(32, 1), 'hook-1', 2);
      expect(receiverAccepts(rotated, request, request.raw, now)).toBe(false);
    } finally {
      server.close();
    }
  });
});
