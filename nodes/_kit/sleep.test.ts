import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleepWithProgress } from './sleep';

describe('sleepWithProgress', () => {
  it('leaves no abort listener behind, however many ticks it takes', async () => {
    const controller = new AbortController();
    const listenersAtEachTick: number[] = [];
    const fractions: number[] = [];
    await sleepWithProgress(
      60,
      controller.signal,
      (fraction) => {
        fractions.push(fraction);
        listenersAtEachTick.push(getEventListeners(controller.signal, 'abort').length);
      },
      2,
    );
    expect(fractions.length).toBeGreaterThan(5);
    expect(fractions.at(-1)).toBe(1);
    expect(new Set(listenersAtEachTick)).toEqual(new Set([0]));
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
  });

  it('rejects with the abort reason as soon as the signal aborts, and removes its listener', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by the user');
    let ticks = 0;
    const sleeping = sleepWithProgress(
      600_000,
      controller.signal,
      () => {
        ticks++;
        if (ticks === 3) controller.abort(reason);
      },
      1,
    );
    await expect(sleeping).rejects.toBe(reason);
    expect(ticks).toBe(3);
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
  });
});
