import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { postWebhook, type WebhookBody } from './webhook-delivery';

const body: WebhookBody = {
  event: 'run_failed',
  pipeline: { id: 'p', name: 'Nightly' },
  title: 'Run failed',
  run: null,
  url: 'http://pipewright.test/pipelines/p',
};

/** The receivers below listen on loopback, which webhooks may reach only when allowed. */
const deliveryId = '3f1c2a4e-0000-4000-8000-000000000001';
const signingSecret = 'pwsec_test-secret';
const local = { allow: ['127.0.0.1'], deliveryId, signingSecret };

const servers: Server[] = [];

/** A real HTTP server on a free port; answers its origin. */
async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening on a port');
  return `http://127.0.0.1:${address.port}`;
}

afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

describe('postWebhook', () => {
  it('posts the body as JSON with the delivery id in X-Pipewright-Delivery, and succeeds on 2xx', async () => {
    const received: unknown[] = [];
    const origin = await serve(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(Buffer.from(chunk));
      received.push({
        method: request.method,
        type: request.headers['content-type'],
        delivery: request.headers['x-pipewright-delivery'],
        body: JSON.parse(Buffer.concat(chunks).toString()),
      });
      response.end();
    });
    expect(await postWebhook(`${origin}/hook`, body, local)).toEqual({ ok: true, httpStatus: 200 });
    expect(received).toEqual([{ method: 'POST', type: 'application/json', delivery: deliveryId, body }]);
  });

  it('sends user:password of the URL as Basic authorization', async () => {
    const seen: (string | undefined)[] = [];
    const origin = await serve((request, response) => {
      seen.push(request.headers.authorization);
      response.end();
    });
    const withCredentials = origin.replace('http://', 'http://hook:p%40ss@');
    expect(await postWebhook(`${withCredentials}/hook`, body, local)).toEqual({ ok: true, httpStatus: 200 });
    expect(seen).toEqual([`Basic ${Buffer.from('hook:p@ss').toString('base64')}`]);
  });

  it('follows a redirect on the same origin but never to another host', async () => {
    let elsewhere = 0;
    const other = await serve((_request, response) => {
      elsewhere++;
      response.end();
    });
    const origin = await serve((request, response) => {
      if (request.url === '/moved') return response.writeHead(307, { location: '/here' }).end();
      if (request.url === '/away') return response.writeHead(307, { location: `${other}/steal` }).end();
      response.end();
    });
    expect(await postWebhook(`${origin}/moved`, body, local)).toEqual({ ok: true, httpStatus: 200 });
    expect(await postWebhook(`${origin}/away`, body, local)).toEqual({
      ok: false,
      error: 'answered 307, a redirect to another host, which is not followed',
      retry: false,
      httpStatus: 307,
    });
    expect(elsewhere).toBe(0);
  });

  it('says what went wrong without the URL, and whether to try again', async () => {
    const origin = await serve((request, response) => {
      response.statusCode = request.url?.startsWith('/gone') ? 404 : 500;
      response.end();
    });
    expect(await postWebhook(`${origin}/gone?token=s3cr3t`, body, local)).toEqual({
      ok: false,
      error: 'answered 404',
      retry: false,
      httpStatus: 404,
    });
    expect(await postWebhook(`${origin}/broken?token=s3cr3t`, body, local)).toEqual({
      ok: false,
      error: 'answered 500',
      retry: true,
      httpStatus: 500,
    });
    const silent = await serve(() => {
      // Never answers: the call gives up after its timeout.
    });
    expect(await postWebhook(`${silent}/slow?token=s3cr3t`, body, { ...local, timeoutMs: 200 })).toEqual({
      ok: false,
      error: 'did not answer within 0.2 s',
      retry: true,
      httpStatus: null,
    });
  });

  it('refuses loopback, private and link-local targets unless allowed, before sending anything', async () => {
    let reached = 0;
    const origin = await serve((_request, response) => {
      reached++;
      response.end();
    });
    const port = new URL(origin).port;
    const refused = {
      ok: false,
      error:
        'points to a loopback, private or link-local address, which webhooks may not reach unless PIPEWRIGHT_WEBHOOK_ALLOW lists it',
      retry: false,
      httpStatus: null,
    };
    expect(await postWebhook(`${origin}/hook`, body, { allow: [], deliveryId, signingSecret })).toEqual(
      refused,
    );
    // A name is checked on the address it resolves to.
    expect(
      await postWebhook(`http://localhost:${port}/hook`, body, { allow: [], deliveryId, signingSecret }),
    ).toEqual(refused);
    // A cloud's metadata service; refused before any connection is tried.
    expect(
      await postWebhook('http://169.254.169.254/latest', body, {
        allow: ['127.0.0.1'],
        deliveryId,
        signingSecret,
      }),
    ).toEqual(refused);
    expect(
      await postWebhook('http://10.1.2.3/hook', body, { allow: ['10.9.0.0/16'], deliveryId, signingSecret }),
    ).toEqual(refused);
    expect(reached).toBe(0);
    // A range that holds the address lets it through.
    expect(
      await postWebhook(`${origin}/hook`, body, { allow: ['127.0.0.0/8'], deliveryId, signingSecret }),
    ).toEqual({
      ok: true,
      httpStatus: 200,
    });
    expect(reached).toBe(1);
  });
});
