import { describe, expect, it } from 'vitest';
import { refuseForeignRequest } from './request-origin';

const publicOrigin = new URL('https://pipewright.example.com');

function check(method: string, headers: Record<string, string>) {
  return refuseForeignRequest(method, new Headers(headers), publicOrigin);
}

describe('refuseForeignRequest', () => {
  it('answers the public host and loopback names on any port', () => {
    expect(check('GET', { host: 'pipewright.example.com' })).toBeUndefined();
    expect(check('GET', { host: 'PipeWright.Example.com' })).toBeUndefined();
    expect(check('GET', { host: 'localhost:3000' })).toBeUndefined();
    expect(check('GET', { host: '127.0.0.1:41234' })).toBeUndefined();
    expect(check('GET', { host: '[::1]:3000' })).toBeUndefined();
  });

  it('refuses any other Host, as a DNS-rebinding page sends, even for reads', () => {
    expect(check('GET', { host: 'attacker.example:3000' })).toEqual({
      status: 403,
      message:
        'This server answers at pipewright.example.com, not at attacker.example:3000. If users reach it at another address, set PIPEWRIGHT_PUBLIC_URL to that address.',
    });
    // The public host on another port is another origin.
    expect(check('GET', { host: 'pipewright.example.com:8443' })?.status).toBe(403);
    expect(check('GET', { host: 'localhost.attacker.example' })?.status).toBe(403);
    expect(check('GET', {})?.message).toMatch(/not at a request without a Host header/);
  });

  it('accepts a state-changing request from our own pages, by Origin or by Sec-Fetch-Site', () => {
    expect(
      check('POST', { host: 'pipewright.example.com', origin: 'https://pipewright.example.com' }),
    ).toBeUndefined();
    expect(check('POST', { host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' })).toBeUndefined();
    expect(check('POST', { host: 'localhost:3000', 'sec-fetch-site': 'same-origin' })).toBeUndefined();
  });

  it('accepts clients that are not browser pages (the CLI, curl): no Origin, no Sec-Fetch-Site', () => {
    expect(check('POST', { host: '127.0.0.1:3000' })).toBeUndefined();
  });

  it('refuses a cross-site state-changing request, such as a text/plain form POST', () => {
    expect(
      check('POST', {
        host: '127.0.0.1:3000',
        origin: 'https://attacker.example',
        'content-type': 'text/plain',
      }),
    ).toEqual({
      status: 403,
      message:
        "Requests that change something are only accepted from Pipewright's own pages (https://pipewright.example.com), not from https://attacker.example.",
    });
    // Another local app is another origin too.
    expect(check('POST', { host: 'localhost:3000', origin: 'http://localhost:8080' })?.status).toBe(403);
    expect(check('DELETE', { host: 'localhost:3000', origin: 'null' })?.status).toBe(403);
    expect(check('PUT', { host: 'localhost:3000', 'sec-fetch-site': 'cross-site' })?.message).toBe(
      "Requests that change something are only accepted from Pipewright's own pages, not from a cross-site page.",
    );
    expect(check('POST', { host: 'localhost:3000', 'sec-fetch-site': 'same-site' })?.status).toBe(403);
    // Reads from another site are not state-changing (CORS keeps their answers from that site).
    expect(check('GET', { host: 'localhost:3000', origin: 'https://attacker.example' })).toBeUndefined();
  });
});
