import { describe, expect, it } from 'vitest';
import { whileAllowed } from './live-access';

/** A stream that yields nothing until its signal aborts, like a run feed with no runs going. */
async function* idle(signal: AbortSignal): AsyncGenerator<never> {
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

async function drain(stream: AsyncIterable<unknown>): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

describe('whileAllowed', () => {
  it('closes an idle stream at the next check once the caller is refused', async () => {
    let checks = 0;
    // Allowed for the first two checks, refused from the third on.
    const stillAllowed = async () => ++checks < 3;
    const items = await drain(whileAllowed(idle, stillAllowed, new AbortController().signal, 5));
    expect(items).toEqual([]);
    expect(checks).toBeGreaterThanOrEqual(3);
  });

  it('closes the stream when a check fails, as a refusal', async () => {
    const failing = () => Promise.reject(new Error('database down'));
    expect(await drain(whileAllowed(idle, failing, new AbortController().signal, 5))).toEqual([]);
  });

  it('yields nothing once refused, and stops when the client goes away', async () => {
    async function* numbers() {
      yield 1;
      yield 2;
      yield 3;
    }
    let allowed = true;
    const seen: number[] = [];
    for await (const item of whileAllowed(
      numbers,
      async () => allowed,
      new AbortController().signal,
      1_000,
    )) {
      seen.push(item);
      if (item === 2) allowed = false;
    }
    expect(seen).toEqual([1, 2]);

    const client = new AbortController();
    const open = drain(whileAllowed(idle, async () => true, client.signal, 1_000));
    client.abort();
    expect(await open).toEqual([]);
  });
});
