import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ComponentState } from '../../config/services-file';
import { untilReady } from '../launcher/readiness';
import { type GroupChild, isGroupAlive, isProcessAlive, spawnGroup } from '../process-group';
import type { RestartPolicy } from './restart-policy';
import { type ComponentSpec, Supervisor } from './supervisor';

// Short delays keep the test quick; the schedule itself is tested in restart-policy.test.ts.
const FAST: RestartPolicy = {
  firstDelayMs: 10,
  maxDelayMs: 40,
  maxCrashes: 3,
  windowMs: 60_000,
  stableAfterMs: 60_000,
};

let scratch: string;
let supervisor: Supervisor | undefined;
beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'supervisor-'));
});
afterEach(async () => {
  await supervisor?.stopAll();
  supervisor = undefined;
  rmSync(scratch, { recursive: true, force: true });
});

/** A component running a small node script: `sleep` stays up, `exit 3` exits at once. */
function component(name: string, behaviour: 'sleep' | 'exit 3', restartOnCrash = true): ComponentSpec {
  const script = behaviour === 'sleep' ? 'setInterval(() => {}, 1000)' : 'process.exit(3)';
  const logFile = path.join(scratch, `${name}.log`);
  return {
    name,
    logFile,
    restartOnCrash,
    stopGraceMs: 2_000,
    start: async () => spawnGroup({ name, command: process.execPath, args: ['-e', script], logFile }),
  };
}

function recorder() {
  const states: Array<{ name: string; state: ComponentState }> = [];
  const notices: string[] = [];
  let resolveGiveUp: (reason: string) => void = () => {};
  const gaveUp = new Promise<string>((resolve) => {
    resolveGiveUp = resolve;
  });
  const events = {
    onChange: (name: string, state: ComponentState) => states.push({ name, state }),
    onNotice: (_name: string, message: string) => notices.push(message),
    onGiveUp: (_name: string, reason: string) => resolveGiveUp(reason),
  };
  return { states, notices, gaveUp, events };
}

/**
 * A component that spawns (after `before`, when given) but never becomes ready, like `next dev`
 * compiling; `spawned` resolves with its process once it exists.
 */
function neverReady(name: string, before: Promise<void> = Promise.resolve()) {
  const logFile = path.join(scratch, `${name}.log`);
  let reportSpawn: (child: GroupChild) => void = () => {};
  const spawned = new Promise<GroupChild>((resolve) => {
    reportSpawn = resolve;
  });
  const spec: ComponentSpec = {
    name,
    logFile,
    restartOnCrash: true,
    stopGraceMs: 2_000,
    start: async (onSpawn) => {
      await before;
      const child = spawnGroup({
        name,
        command: process.execPath,
        args: ['-e', 'setInterval(() => {}, 1000)'],
        logFile,
      });
      reportSpawn(child);
      onSpawn(child);
      await untilReady(child, async () => false, 3_600_000);
      return child;
    },
  };
  return { spec, spawned };
}

describe('supervisor', () => {
  it('restarts a component killed with SIGKILL, logging it on the console and in its log', async () => {
    const seen = recorder();
    supervisor = new Supervisor(seen.events, FAST);
    const first = await supervisor.add(component('worker', 'sleep'));
    process.kill(first.pgid, 'SIGKILL');
    await expect.poll(() => supervisor?.states().worker?.restarts).toBe(1);
    await expect.poll(() => supervisor?.states().worker?.status).toBe('running');

    const second = supervisor.children()[0];
    expect(second?.pgid).not.toBe(first.pgid);
    expect(second && isProcessAlive(second.pgid)).toBe(true);
    expect(seen.states.map(({ state }) => state.status)).toEqual([
      'starting',
      'running',
      'restarting',
      'starting',
      'running',
    ]);
    expect(seen.states[2]?.state.detail).toBe(
      'killed by SIGKILL; restarting in 0.01 s (crash 1 of 3 allowed within 1 min)',
    );
    expect(seen.notices).toEqual([
      'worker killed by SIGKILL; restarting in 0.01 s (crash 1 of 3 allowed within 1 min)',
      `worker restarted (pid ${second?.pgid}, restart 1)`,
    ]);
    const log = readFileSync(path.join(scratch, 'worker.log'), 'utf8');
    expect(log).toMatch(/\[supervisor\] worker killed by SIGKILL; restarting in 0\.01 s/);
    expect(log).toContain(`[supervisor] worker restarted (pid ${second?.pgid}, restart 1)`);
  });

  it('gives up after maxCrashes crashes within the window, with one reason', async () => {
    const seen = recorder();
    supervisor = new Supervisor(seen.events, FAST);
    await supervisor.add(component('app', 'exit 3'));
    const reason = await seen.gaveUp;
    expect(reason).toBe('app crashed 3 times within 1 min (last: exit code 3); not restarting it again');
    expect(supervisor.states().app).toMatchObject({ status: 'failed', restarts: 2, detail: reason });
    expect(seen.notices.filter((notice) => notice.includes('restarting in'))).toEqual([
      'app exit code 3; restarting in 0.01 s (crash 1 of 3 allowed within 1 min)',
      'app exit code 3; restarting in 0.02 s (crash 2 of 3 allowed within 1 min)',
    ]);
    expect(readFileSync(path.join(scratch, 'app.log'), 'utf8')).toContain(`[supervisor] ${reason}`);
  });

  it('does not restart a component whose crash a restart would not mend', async () => {
    const seen = recorder();
    supervisor = new Supervisor(seen.events, FAST);
    const child = await supervisor.add(component('postgres', 'sleep', false));
    process.kill(child.pgid, 'SIGKILL');
    expect(await seen.gaveUp).toBe('postgres stopped unexpectedly (killed by SIGKILL)');
    expect(supervisor.states().postgres?.status).toBe('failed');
    expect(seen.notices).toEqual([]);
  });

  it('stops everything, last started first, without restarting what it stops', async () => {
    const seen = recorder();
    supervisor = new Supervisor(seen.events, FAST);
    const database = await supervisor.add(component('postgres', 'sleep', false));
    const worker = await supervisor.add(component('worker', 'sleep'));
    const order: string[] = [];
    await supervisor.stopAll((name) => order.push(name));
    expect(order).toEqual(['worker', 'postgres']);
    expect(isProcessAlive(database.pgid) || isProcessAlive(worker.pgid)).toBe(false);
    expect(supervisor.states()).toMatchObject({
      worker: { status: 'stopped' },
      postgres: { status: 'stopped' },
    });
    expect(seen.notices).toEqual([]);
  });

  it('stops a component that is still starting, and lists its process group meanwhile', async () => {
    const seen = recorder();
    supervisor = new Supervisor(seen.events, FAST);
    const { spec, spawned } = neverReady('app');
    const adding = supervisor.add(spec);
    const rejected = expect(adding).rejects.toThrow('app stopped while starting (killed by SIGTERM)');
    const child = await spawned;
    expect(supervisor.children().map((group) => group.pgid)).toEqual([child.pgid]);
    expect(supervisor.states().app).toMatchObject({ status: 'starting', pid: child.pgid });

    await supervisor.stopAll();
    await expect.poll(() => isProcessAlive(child.pgid) || isGroupAlive(child.pgid)).toBe(false);
    await rejected;
    expect(supervisor.states().app?.status).toBe('stopped');
    expect(supervisor.children()).toEqual([]);
  });

  it('starts nothing once stopping: not a new component, nor a process spawned after the stop went past', async () => {
    const seen = recorder();
    supervisor = new Supervisor(seen.events, FAST);
    let mayStart = () => {};
    const stopHappened = new Promise<void>((resolve) => {
      mayStart = resolve;
    });
    // Like a start that picks a free port before it spawns: the stop comes in between.
    const { spec, spawned } = neverReady('temporal', stopHappened);
    const adding = supervisor.add(spec);
    const rejected = expect(adding).rejects.toThrow('temporal stopped while starting (killed by SIGTERM)');
    await supervisor.stopAll();
    mayStart();
    const child = await spawned;
    await expect.poll(() => isProcessAlive(child.pgid) || isGroupAlive(child.pgid)).toBe(false);
    await rejected;
    await expect(supervisor.add(component('worker', 'sleep'))).rejects.toThrow(
      'worker was not started: stopping',
    );
    expect(Object.keys(supervisor.states())).toEqual(['temporal']);
  });
});
