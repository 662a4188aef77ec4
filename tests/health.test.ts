import { createServer } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { describe, expect, inject, it } from 'vitest';
import { checkHealth, type HealthDeps } from '../app/_server/health';
import type { ComponentState } from '../config/services-file';
import { connectDatabase } from '../db/client';
import journal from '../db/migrations/meta/_journal.json';
import { setUpDatabaseAndWorker } from './support/fixture';

const fixture = setUpDatabaseAndWorker();

function deps(overrides: Partial<HealthDeps> = {}): HealthDeps {
  return {
    version: '9.9.9',
    sql: () => fixture.database.sql,
    temporal: async () => fixture.worker.client,
    temporalAddress: inject('temporalAddress'),
    namespace: fixture.worker.namespace,
    taskQueue: fixture.worker.taskQueue,
    ...overrides,
  };
}

describe('health', () => {
  it('is ok with a migrated database, a reachable namespace and a polling worker', async () => {
    // The worker's first poll can take a moment to register.
    await expect
      .poll(async () => (await checkHealth(deps())).worker.pollers, { timeout: 15_000 })
      .toBeGreaterThan(0);
    const health = await checkHealth(deps());
    expect(health).toMatchObject({
      status: 'ok',
      version: '9.9.9',
      database: {
        ok: true,
        migrations: {
          applied: journal.entries.length,
          latest: journal.entries.length,
          latestTag: journal.entries.at(-1)?.tag,
        },
      },
      temporal: { ok: true, namespace: fixture.worker.namespace },
      worker: { ok: true, taskQueue: fixture.worker.taskQueue },
    });
  });

  it('is degraded when no worker polls the task queue, and says how to start one', async () => {
    const health = await checkHealth(deps({ taskQueue: 'nobody-polls-this-queue' }));
    expect(health.status).toBe('degraded');
    expect(health.worker).toEqual({
      ok: false,
      taskQueue: 'nobody-polls-this-queue',
      pollers: 0,
      detail: 'no worker is polling: start one with `npm run worker`',
    });
  });

  it('names an unreachable database without failing the other checks', async () => {
    const dead = connectDatabase('postgres://nobody:secret@127.0.0.1:1/nothing', {
      max: 1,
      connectTimeout: 2,
    });
    try {
      const health = await checkHealth(deps({ sql: () => dead.sql }));
      expect(health.status).toBe('degraded');
      expect(health.database.ok).toBe(false);
      expect(health.database.detail).toMatch(/^unreachable: .*ECONNREFUSED/);
      expect(health.database.detail).not.toContain('secret');
      expect(health.temporal.ok).toBe(true);
    } finally {
      await dead.close();
    }
  });

  it('names an unreachable Temporal server', async () => {
    const temporal = async () =>
      new Client({ connection: await Connection.connect({ address: '127.0.0.1:1', connectTimeout: 1_000 }) });
    const health = await checkHealth(deps({ temporal }));
    expect(health.temporal.ok).toBe(false);
    expect(health.temporal.detail).toMatch(/^unreachable: /);
    expect(health.worker.ok).toBe(false);
    expect(health.database.ok).toBe(true);
  });

  describe('under the launcher, from its supervisor’s state', () => {
    const running = (pid: number, restarts = 0): ComponentState => ({
      status: 'running',
      pid,
      restarts,
      since: '2026-01-01T00:00:00.000Z',
      detail: `running (pid ${pid})`,
    });
    const restarting: ComponentState = {
      status: 'restarting',
      restarts: 0,
      since: '2026-01-01T00:00:00.000Z',
      detail: 'killed by SIGKILL; restarting in 1 s (crash 1 of 5 allowed within 2 min)',
    };

    it('shows a worker the supervisor is restarting as down, though Temporal still lists a poller', async () => {
      await expect
        .poll(async () => (await checkHealth(deps())).worker.pollers, { timeout: 15_000 })
        .toBeGreaterThan(0);
      const health = await checkHealth(deps({ supervised: () => ({ worker: restarting }) }));
      expect(health.status).toBe('degraded');
      expect(health.worker).toMatchObject({
        ok: false,
        detail: 'down: killed by SIGKILL; restarting in 1 s (crash 1 of 5 allowed within 2 min)',
      });
      expect(health.worker.pollers).toBeGreaterThan(0);
    });

    it('shows a running worker with its restarts, and one whose process is gone as down', async () => {
      const up = await checkHealth(deps({ supervised: () => ({ worker: running(process.pid, 2) }) }));
      expect(up.worker).toMatchObject({ ok: true, detail: `running (pid ${process.pid}), restarted 2×` });
      // A pid far above any the kernel hands out: the process is gone before the launcher noticed.
      const gone = await checkHealth(deps({ supervised: () => ({ worker: running(2 ** 30) }) }));
      expect(gone.worker).toMatchObject({
        ok: false,
        detail: `down: process ${2 ** 30} has exited; the launcher restarts it`,
      });
    });

    it('shows a worker that runs but polls no task queue as down', async () => {
      const silent = await checkHealth(
        deps({ taskQueue: 'nobody-polls-this', supervised: () => ({ worker: running(process.pid) }) }),
      );
      expect(silent.worker).toMatchObject({
        ok: false,
        pollers: 0,
        detail: `running (pid ${process.pid}) but no worker is polling: start one with \`npm run worker\``,
      });
    });

    it('shows the serving process: answering, refusing, or down while the supervisor restarts it', async () => {
      await expect
        .poll(async () => (await checkHealth(deps())).worker.pollers, { timeout: 15_000 })
        .toBeGreaterThan(0);
      let answer = 200;
      const serving = createServer((request, response) => {
        response.writeHead(request.url === '/health' ? answer : 404).end('{}');
      });
      await new Promise<void>((resolve) => serving.listen(0, '127.0.0.1', resolve));
      const address = serving.address();
      const serveUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      try {
        const up = await checkHealth(
          deps({ serveUrl, supervised: () => ({ serving: running(process.pid) }) }),
        );
        expect(up.status).toBe('ok');
        expect(up.serving).toEqual({ ok: true, detail: 'answering', url: serveUrl });
        answer = 503;
        const refusing = await checkHealth(
          deps({ serveUrl, supervised: () => ({ serving: running(process.pid) }) }),
        );
        expect(refusing.status).toBe('degraded');
        expect(refusing.serving).toEqual({
          ok: false,
          detail: 'answers 503 to its health check',
          url: serveUrl,
        });
        const down = await checkHealth(deps({ serveUrl, supervised: () => ({ serving: restarting }) }));
        expect(down.serving).toMatchObject({ ok: false, detail: `down: ${restarting.detail}` });
        // Without a launcher, an app may run with no serving process: shown, not counted.
        const alone = await checkHealth(deps({ serveUrl }));
        expect(alone.status).toBe('ok');
        expect(alone.serving?.ok).toBe(false);
      } finally {
        serving.close();
      }
    });

    it('shows a Temporal server the supervisor is restarting as down, without asking it', async () => {
      const health = await checkHealth(deps({ supervised: () => ({ temporal: restarting }) }));
      expect(health.temporal).toMatchObject({
        ok: false,
        detail: 'down: killed by SIGKILL; restarting in 1 s (crash 1 of 5 allowed within 2 min)',
      });
      expect(health.database.ok).toBe(true);
    });
  });
});
