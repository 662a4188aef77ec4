import { mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withBuildLock } from './build-lock';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-build-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('withBuildLock', () => {
  it('runs one build at a time: the second starts only after the first has finished', async () => {
    const events: string[] = [];
    let releaseFirst = () => {};
    const firstMayFinish = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let firstStarted = () => {};
    const firstIsIn = new Promise<void>((resolve) => {
      firstStarted = resolve;
    });
    const first = withBuildLock(dir, async () => {
      events.push('first in');
      firstStarted();
      await firstMayFinish;
      events.push('first out');
    });
    await firstIsIn;
    const second = withBuildLock(dir, async () => {
      events.push('second in');
    });
    // The second is now waiting on the lock; it must not get in until the first lets go.
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['first in']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(events).toEqual(['first in', 'first out', 'second in']);
  });

  it('releases the lock when the build fails, and takes over a lock left by a dead process', async () => {
    await expect(
      withBuildLock(dir, async () => {
        throw new Error('build failed');
      }),
    ).rejects.toThrow('build failed');
    expect(await withBuildLock(dir, async () => 'after a failure')).toBe('after a failure');

    const lock = path.join(dir, '.next-build.lock');
    mkdirSync(lock);
    const anHourAgo = new Date(Date.now() - 60 * 60_000);
    utimesSync(lock, anHourAgo, anHourAgo);
    expect(await withBuildLock(dir, async () => 'taken over')).toBe('taken over');
  });
});
