import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { releaseHeldBuildLock, withBuildLock } from './build-lock';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-build-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** Owners a test spawned, killed after it even when it fails, so none outlives the run. */
const owners: ChildProcess[] = [];
afterEach(() => {
  for (const owner of owners.splice(0)) owner.kill('SIGKILL');
});

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
    let secondBlocked = () => {};
    const secondIsWaiting = new Promise<void>((resolve) => {
      secondBlocked = resolve;
    });
    const second = withBuildLock(
      dir,
      async () => {
        events.push('second in');
      },
      { onWait: () => secondBlocked() },
    );
    // The second has found the lock taken; it must not get in until the first lets go.
    await secondIsWaiting;
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

  it('takes over at once, without waiting, a lock whose owner process has exited', async () => {
    const owner = spawn(process.execPath, ['-e', '']);
    const ownerPid = owner.pid;
    await new Promise((resolve) => owner.once('exit', resolve));
    const lock = path.join(dir, '.next-build.lock');
    mkdirSync(lock);
    writeFileSync(path.join(lock, 'owner'), String(ownerPid));
    const waits: string[] = [];
    const result = await withBuildLock(dir, async () => 'taken over', { onWait: (line) => waits.push(line) });
    expect(result).toBe('taken over');
    expect(waits).toEqual([]);
  });

  it('waits for a lock whose owner runs, saying so once, and gets it when the owner exits', async () => {
    const owner = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    owners.push(owner);
    const ownerExited = new Promise((resolve) => owner.once('exit', resolve));
    const lock = path.join(dir, '.next-build.lock');
    mkdirSync(lock);
    writeFileSync(path.join(lock, 'owner'), String(owner.pid));
    const waits: string[] = [];
    let saidWaiting = () => {};
    const waiting = new Promise<void>((resolve) => {
      saidWaiting = resolve;
    });
    let workRan = false;
    const build = withBuildLock(
      dir,
      async () => {
        workRan = true;
        return readFileSync(path.join(lock, 'owner'), 'utf8');
      },
      {
        onWait: (line) => {
          waits.push(line);
          saidWaiting();
        },
      },
    );
    await waiting;
    expect(workRan).toBe(false);
    owner.kill('SIGKILL');
    await ownerExited;
    // The lock now names the process that holds it: this one.
    expect(await build).toBe(String(process.pid));
    expect(waits).toEqual([`waiting for another build of the web app (pid ${owner.pid}) to finish`]);
    expect(existsSync(lock)).toBe(false);
  });

  it('lets a stopping launcher remove the lock it holds, and only its own', async () => {
    const lock = path.join(dir, '.next-build.lock');
    releaseHeldBuildLock();
    await withBuildLock(dir, async () => {
      expect(readFileSync(path.join(lock, 'owner'), 'utf8')).toBe(String(process.pid));
      // What shutdown does when Ctrl-C arrives during the build.
      releaseHeldBuildLock();
      expect(existsSync(lock)).toBe(false);
      // Another process's lock made meanwhile is not this launcher's to remove.
      mkdirSync(lock);
      releaseHeldBuildLock();
      expect(existsSync(lock)).toBe(true);
      rmSync(lock, { recursive: true });
    });
  });
});
