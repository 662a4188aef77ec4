import { randomUUID } from 'node:crypto';
import { predictBatched } from './batching';
import type { PredictionRecord, PredictionRecorder } from './contracts';
import type { Resolution, VersionSelector } from './model-cache';
import type { Row } from './request-rows';
import { validateRows } from './validate-rows';

/**
 * Shadow traffic: after production has answered a request, staging scores a copy of its rows and
 * the answers go to the prediction log only (role shadow, each naming the production answer it
 * shadows), never to the client. The copies wait in a bounded queue and are scored off the request
 * path, a few at a time: a production request never waits for staging, and when staging cannot
 * keep up (or the queue is full) copies are dropped and counted rather than held.
 */

export interface ShadowCopy {
  /** The model's name as the request gave it. */
  name: string;
  requestId: string;
  /** The request's rows as sent: staging's signature may differ from production's, so they are validated again. */
  rows: readonly Row[];
  /** Production's prediction id for each row, in order. */
  productionIds: readonly string[];
  /** The version that answered: a staging alias on the same version has nothing to compare. */
  productionVersion: number;
}

export interface ShadowCounts {
  /** Copies waiting to be scored. */
  queued: number;
  /** Copies staging answered (and the log was given). */
  scored: number;
  /** Copies dropped: the queue was full. */
  dropped: number;
  /** Copies staging could not score: no staging version loaded, or its signature refuses the rows. */
  failed: number;
}

export interface ShadowScorerOptions {
  resolve(name: string, selector: VersionSelector): Promise<Resolution>;
  log: PredictionRecorder;
  /** Copies held at most; more are dropped (default 256). */
  capacity?: number;
  /** Copies scored at the same time (default 2: enough to batch, few enough to leave the CPU to production). */
  concurrency?: number;
  report?: (line: string) => void;
}

const STAGING: VersionSelector = { alias: 'staging' };

export class ShadowScorer {
  private readonly queue: ShadowCopy[] = [];
  private readonly capacity: number;
  private readonly concurrency: number;
  private running = 0;
  private readonly counts = { scored: 0, dropped: 0, failed: 0 };
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: ShadowScorerOptions) {
    this.capacity = options.capacity ?? 256;
    this.concurrency = options.concurrency ?? 2;
  }

  /** Queues a copy; never waits. False when it was dropped (the queue is full). */
  offer(copy: ShadowCopy): boolean {
    if (this.queue.length >= this.capacity) {
      this.counts.dropped += 1;
      return false;
    }
    this.queue.push(copy);
    // After the current turn: the production answer is written first.
    if (this.running < this.concurrency) setImmediate(() => this.drain());
    return true;
  }

  snapshot(): ShadowCounts {
    return { queued: this.queue.length + this.running, ...this.counts };
  }

  /** Resolves once nothing is queued or being scored (tests, and a graceful stop). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private drain(): void {
    while (this.running < this.concurrency) {
      const copy = this.queue.shift();
      if (!copy) break;
      this.running += 1;
      void this.score(copy).finally(() => {
        this.running -= 1;
        if (this.queue.length > 0) this.drain();
        else if (this.running === 0) this.wake();
      });
    }
  }

  private wake(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async score(copy: ShadowCopy): Promise<void> {
    const started = performance.now();
    const resolution = await this.options.resolve(copy.name, STAGING).catch(() => undefined);
    if (!resolution?.ok) {
      this.counts.failed += 1;
      return;
    }
    const { served } = resolution.lease;
    try {
      if (served.version === copy.productionVersion) return;
      const validated = validateRows(copy.rows, served.signature);
      if (!validated.ok) {
        this.counts.failed += 1;
        return;
      }
      const predictions = await predictBatched(served, validated.columns, copy.rows.length);
      const latencyMs = performance.now() - started;
      this.counts.scored += 1;
      if (!this.options.log.enabled) return;
      const at = new Date();
      const records: PredictionRecord[] = predictions.map((prediction, index) => ({
        predictionId: randomUUID(),
        requestId: copy.requestId,
        modelId: served.modelId,
        version: served.version,
        at,
        latencyMs,
        inputs: validated.inputs[index] ?? [],
        outputs: prediction,
        role: 'shadow',
        shadowOf: copy.productionIds[index],
      }));
      this.options.log.record(records);
    } catch (error) {
      this.counts.failed += 1;
      this.options.report?.(
        `shadow scoring of ${served.name} version ${served.version} failed: ${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'}`,
      );
    } finally {
      resolution.lease.release();
    }
  }
}
