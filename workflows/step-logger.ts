import type { Sql } from '../db/client';
import { errorHeadline } from '../db/queries/loggable-error';
import { appendRunEvent } from '../db/queries/run-state';
import type { EventLevel } from '../db/schema';
import type { NodeLogger } from '../nodes/_kit/context';

/**
 * Log lines of one step attempt, numbered in order so a retried write is stored once. Writes run in
 * the background; `flush` waits for them before the step reports its end.
 */
export class StepLogger implements NodeLogger {
  private seq = 0;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly sql: Sql,
    private readonly runId: string,
    private readonly nodeId: string,
    private readonly attempt: number,
  ) {}

  info(message: string, data?: Record<string, unknown>): void {
    this.write('info', message, data);
  }

  warn(message: string, data?: Record<string, unknown>): void {
    this.write('warn', message, data);
  }

  error(message: string, data?: Record<string, unknown>): void {
    this.write('error', message, data);
  }

  flush(): Promise<void> {
    return this.pending;
  }

  private write(level: EventLevel, message: string, data?: Record<string, unknown>): void {
    const seq = this.seq++;
    const line = { runId: this.runId, nodeId: this.nodeId, attempt: this.attempt, seq, level, message, data };
    // Chained so lines land in order; a failed write must not stop the step, so it is only reported.
    this.pending = this.pending.then(() =>
      appendRunEvent(this.sql, line).catch((error: unknown) => {
        console.error(`could not store a log line of ${this.nodeId}: ${errorHeadline(error)}`);
      }),
    );
  }
}
