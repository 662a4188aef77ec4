import { describe, expect, it } from 'vitest';
import { withoutSessionTokens } from './session-tokens';

describe('withoutSessionTokens', () => {
  it('drops every token from a JSON answer and keeps its status and cookies', async () => {
    const headers = new Headers({ 'content-type': 'application/json' });
    headers.append('set-cookie', 'pipewright.session_token=abc.sig; HttpOnly');
    headers.append('set-cookie', 'pipewright.other=1');
    const answer = await withoutSessionTokens(
      new Response(
        JSON.stringify({ token: 'abc', user: { id: 'u' }, sessions: [{ token: 'def', id: 's' }] }),
        { status: 200, headers },
      ),
    );
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ user: { id: 'u' }, sessions: [{ id: 's' }] });
    expect(answer.headers.getSetCookie()).toEqual([
      'pipewright.session_token=abc.sig; HttpOnly',
      'pipewright.other=1',
    ]);
  });

  it('leaves answers that are not JSON alone', async () => {
    const answer = await withoutSessionTokens(new Response('token', { status: 302 }));
    expect([answer.status, await answer.text()]).toEqual([302, 'token']);
  });
});
