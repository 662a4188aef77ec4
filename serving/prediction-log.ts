import type { Sql } from '../db/client';
import { deleteOldPredictions, insertPredictionLog } from '../db/queries/prediction-log';
import type { PredictionRecord, PredictionRecorder } from './contracts';
import { databaseErrorCode, isDatabaseUnavailable } from './database-unavailable';
import { RecordQueue } from './record-queue';

/**
 * The prediction log's writer: requests queue their records (never waiting), and a timer writes
 * them to prediction_log in multi-row batches, encoded as JSON only then (one encoding per batch).
 * The queue is bounded in records and in the memory its records hold, so when PostgreSQL is down
 * serving goes on: what does not fit is dropped and counted, and writing resumes once it is back.
 * A retention sweep deletes records older than PIPEWRIGHT_PREDICTION_LOG_DAYS.
 */

export interface PredictionLogOptions {
  sql: Sql;
  /** Days records are kept; 0 keeps them forever (no sweep). */
  retentionDays: number;
  /** Records the queue holds at most; beyond that they are dropped. */
  capacity?: number;
  /** Bytes the queued records weigh at most (about their JSON's size); beyond that records are dropped. */
  capacityBytes?: number;
  /** Records written per statement at most. */
  batchSize?: number;
  /** How often the queue is written out; a full batch is written at once. */
  flushMs?: number;
  /** Longest wait between attempts while PostgreSQL is unavailable. */
  maxRetryMs?: number;
  /** How often the retention sweep runs, and how long after start it first runs. */
  sweepEveryMs?: number;
  firstSweepMs?: number;
  /** Rows deleted per statement by the sweep. */
  sweepBatch?: number;
  /** Where problems are reported (one line each, never a record's contents); console.error by default. */
  report?: (message: string) => void;
}

export interface PredictionLog extends PredictionRecorder {
  /** Records written since start. */
  written(): number;
  /** Writes the queue out now (the timer's work); resolves when done or when the database failed. */
  flush(): Promise<void>;
  /** Deletes records past the retention period now; returns how many. */
  sweep(): Promise<number>;
}

/** What a write takes: full batches only (a batch filled up), or everything (the timer, close). */
type Extent = 'full batches' | 'everything';

const DEFAULTS = {
  capacity: 10_000,
  capacityBytes: 64 * 1024 * 1024,
  batchSize: 500,
  flushMs: 200,
  maxRetryMs: 5_000,
  sweepEveryMs: 60 * 60 * 1000,
  firstSweepMs: 60 * 1000,
  sweepBatch: 5_000,
};

export function createPredictionLog(options: PredictionLogOptions): PredictionLog {
  const settings = {
    capacity: options.capacity ?? DEFAULTS.capacity,
    capacityBytes: options.capacityBytes ?? DEFAULTS.capacityBytes,
    batchSize: options.batchSize ?? DEFAULTS.batchSize,
    flushMs: options.flushMs ?? DEFAULTS.flushMs,
    maxRetryMs: options.maxRetryMs ?? DEFAULTS.maxRetryMs,
    sweepEveryMs: options.sweepEveryMs ?? DEFAULTS.sweepEveryMs,
    firstSweepMs: options.firstSweepMs ?? DEFAULTS.firstSweepMs,
    sweepBatch: options.sweepBatch ?? DEFAULTS.sweepBatch,
  };
  const report = options.report ?? ((message: string) => console.error(message));
  const queue = new RecordQueue<PredictionRecord>();
  let dropped = 0;
  let written = 0;
  let writing: Promise<void> | undefined;
  let retryMs = 0;
  let retryAt = 0;
  let unavailable = false;
  let droppedWhenUnavailable = 0;
  let sweeping: Promise<number> | undefined;
  let closed = false;

  const flushTimer = setInterval(() => void flush(), settings.flushMs);
  flushTimer.unref();
  const sweepTimers = options.retentionDays > 0 ? scheduleSweeps() : [];

  function scheduleSweeps(): NodeJS.Timeout[] {
    const run = () => void sweep().catch(() => {});
    const first = setTimeout(run, settings.firstSweepMs);
    const every = setInterval(run, settings.sweepEveryMs);
    first.unref();
    every.unref();
    return [first, every];
  }

  function record(records: readonly PredictionRecord[]): void {
    if (closed) {
      dropped += records.length;
      return;
    }
    for (const each of records) {
      // A full queue drops the record before weighing it (PostgreSQL down: every request).
      if (queue.size >= settings.capacity) {
        dropped += 1;
        continue;
      }
      const bytes = recordBytes(each);
      if (queue.bytes + bytes > settings.capacityBytes) {
        dropped += 1;
        continue;
      }
      queue.push(each, bytes);
    }
    if (queue.size >= settings.batchSize) void write('full batches');
  }

  /** Writes everything queued now (the timer's work), after any write under way. */
  async function flush(): Promise<void> {
    await writing;
    await write('everything');
  }

  /** One writer at a time: a call while one runs joins it. */
  function write(what: Extent): Promise<void> {
    writing ??= writeQueue(what)
      .catch((error: unknown) => {
        report(`Prediction log: writing failed (${databaseErrorCode(error)}); it is tried again.`);
      })
      .finally(() => {
        writing = undefined;
      });
    return writing;
  }

  /**
   * Writes batches until the queue is empty (or, between timer ticks, until less than a full batch
   * is left: every statement costs this process as much as hundreds of rows in it), or until
   * PostgreSQL fails (then waits before retrying).
   */
  async function writeQueue(what: Extent): Promise<void> {
    if (Date.now() < retryAt) return;
    const least = what === 'everything' ? 1 : settings.batchSize;
    while (queue.size >= least) {
      const batch = queue.peek(settings.batchSize);
      const outcome = await writeBatch(batch);
      queue.remove(outcome.handled);
      if (outcome.unavailable) {
        becameUnavailable();
        return;
      }
      if (unavailable) becameAvailable();
    }
  }

  /** One statement for the batch; if PostgreSQL refuses it (one bad record, say), row by row, so only those are lost. */
  async function writeBatch(
    batch: readonly PredictionRecord[],
  ): Promise<{ handled: number; unavailable: boolean }> {
    try {
      written += await insertPredictionLog(options.sql, batch);
      return { handled: batch.length, unavailable: false };
    } catch (error) {
      if (isDatabaseUnavailable(error)) return { handled: 0, unavailable: true };
    }
    for (const [index, each] of batch.entries()) {
      try {
        written += await insertPredictionLog(options.sql, [each]);
      } catch (error) {
        if (isDatabaseUnavailable(error)) return { handled: index, unavailable: true };
        dropped += 1;
        report(
          `Prediction log: dropped prediction ${each.predictionId}: PostgreSQL refused it (${databaseErrorCode(error)}).`,
        );
      }
    }
    return { handled: batch.length, unavailable: false };
  }

  function becameUnavailable(): void {
    retryMs = Math.min(settings.maxRetryMs, Math.max(settings.flushMs, retryMs * 2));
    retryAt = Date.now() + retryMs;
    if (unavailable) return;
    unavailable = true;
    droppedWhenUnavailable = dropped;
    report(
      `Prediction log: PostgreSQL is unavailable; serving goes on, up to ${settings.capacity} records wait and the rest are dropped.`,
    );
  }

  function becameAvailable(): void {
    unavailable = false;
    retryMs = 0;
    retryAt = 0;
    report(
      `Prediction log: writing again; ${dropped - droppedWhenUnavailable} records were dropped while PostgreSQL was unavailable.`,
    );
  }

  function sweep(): Promise<number> {
    if (options.retentionDays <= 0) return Promise.resolve(0);
    sweeping ??= deleteOldPredictions(options.sql, options.retentionDays, settings.sweepBatch)
      .catch((error: unknown) => {
        report(
          `Prediction log: the retention sweep failed (${databaseErrorCode(error)}); it runs again later.`,
        );
        return 0;
      })
      .finally(() => {
        sweeping = undefined;
      });
    return sweeping;
  }

  async function close(): Promise<void> {
    closed = true;
    clearInterval(flushTimer);
    for (const timer of sweepTimers) clearTimeout(timer);
    retryAt = 0;
    await writing;
    await flush();
    // Whatever could not be written now is lost with the process.
    dropped += queue.clear();
    await sweeping;
  }

  return {
    enabled: true,
    record,
    depth: () => queue.size,
    dropped: () => dropped,
    written: () => written,
    flush,
    sweep,
    close,
  };
}

/**
 * A queued record's weight, near enough to bound the queue: about the size of its JSON, that is a
 * fixed part for its ids, numbers and answer, the length of each text value, and a part for each
 * class's probability.
 */
function recordBytes(record: PredictionRecord): number {
  let bytes = 256;
  for (const value of record.inputs) bytes += typeof value === 'string' ? 16 + value.length : 16;
  const probabilities = record.outputs.probabilities;
  if (typeof probabilities === 'object' && probabilities !== null)
    bytes += 48 * Object.keys(probabilities).length;
  return bytes;
}
