import { EventEmitter, on } from 'node:events';
import type { Sql } from '../../db/client';
import { RUN_CHANGES_CHANNEL, type RunChange, runChangeSchema } from '../../db/queries/run-state';

/**
 * One LISTEN connection per server process, fanned out to every live subscription, so a thousand
 * open run views cost one database connection, not a thousand.
 */
export class RunChangeFeed {
  private readonly emitter = new EventEmitter();
  private listening: Promise<unknown> | undefined;

  constructor(private readonly sql: Sql) {
    // Each subscription adds a listener; the default warning at 10 is meant for leaks, not fan-out.
    this.emitter.setMaxListeners(0);
  }

  /** Starts listening on first use; postgres.js re-listens by itself after a lost connection. */
  ensureListening(): Promise<unknown> {
    this.listening ??= this.sql
      .listen(RUN_CHANGES_CHANNEL, (payload) => {
        const parsed = runChangeSchema.safeParse(safeJson(payload));
        if (parsed.success) this.emitter.emit('change', parsed.data);
      })
      .catch((error: unknown) => {
        // Not cached: the next subscriber tries again instead of failing until a restart.
        this.listening = undefined;
        throw error;
      });
    return this.listening;
  }

  /** Changes (of one run, or of all runs) until the signal aborts. */
  async *changes(filter: { runId?: string }, signal: AbortSignal): AsyncGenerator<RunChange> {
    await this.ensureListening();
    try {
      for await (const [change] of on(this.emitter, 'change', { signal })) {
        const parsed = runChangeSchema.safeParse(change);
        if (parsed.success && (!filter.runId || parsed.data.runId === filter.runId)) yield parsed.data;
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
