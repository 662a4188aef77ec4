import type { Team } from '../../ml/boosting/sharing';

/**
 * How a fitting thread and its boosting helper threads (boosting-helpers.ts) signal each other: a
 * few 32-bit cells in shared memory, waited on with Atomics.wait and woken with Atomics.notify. The
 * fitting thread never returns to its event loop during a fit, so it could not receive a message
 * through it; and a round trip this way takes some 20 µs here.
 */

/** The cells, each an index into the Int32Array. */
const READY = 0; // helpers listening for jobs
const JOB = 1; // jobs handed out so far
const DONE = 2; // parts of jobs finished by helpers, summed over jobs
const ARRIVED = 3; // parts at the barrier in the current round
const ROUND = 4; // barrier rounds completed
const FAILED = 5; // 1 once a helper has failed
const STOPPED = 6; // 1 once the fit has ended
const CLAIMED = 7; // chunks of the current phase taken so far
const CELLS = 8;

export class HelperSignals {
  readonly cells: Int32Array;

  /** New cells, or the fitting thread's cells as a helper received them. */
  constructor(cells: Int32Array = new Int32Array(new SharedArrayBuffer(4 * CELLS))) {
    if (cells.length !== CELLS || !(cells.buffer instanceof SharedArrayBuffer))
      throw new Error('Helper signals need their cells in shared memory');
    this.cells = cells;
  }

  /** A helper: ready for jobs. */
  markReady(): void {
    Atomics.add(this.cells, READY, 1);
  }

  readyCount(): number {
    return Atomics.load(this.cells, READY);
  }

  /** The fitting thread: hands out the next job; returns its number (1, 2, ...). */
  startJob(): number {
    Atomics.store(this.cells, CLAIMED, 0);
    const job = Atomics.add(this.cells, JOB, 1) + 1;
    Atomics.notify(this.cells, JOB);
    return job;
  }

  /** A helper: waits for the job after `seen` and returns its number, or null once the fit has ended. */
  waitForJob(seen: number): number | null {
    this.waitWhile(JOB, seen);
    return Atomics.load(this.cells, STOPPED) === 1 ? null : seen + 1;
  }

  /** The fitting thread: the fit has ended (no job is running); wakes the helpers to return. */
  stop(): void {
    Atomics.store(this.cells, STOPPED, 1);
    Atomics.add(this.cells, JOB, 1);
    Atomics.notify(this.cells, JOB);
  }

  /** A helper: its part of the current job is done. */
  finishPart(): void {
    Atomics.add(this.cells, DONE, 1);
    Atomics.notify(this.cells, DONE);
  }

  /** The fitting thread: waits until the helpers have finished `parts` parts in all. */
  waitForParts(parts: number): void {
    for (let done = Atomics.load(this.cells, DONE); done < parts; done = Atomics.load(this.cells, DONE))
      this.waitWhile(DONE, done);
    this.throwIfFailed();
  }

  /** The next chunk of the current phase (see Team in ml/boosting/sharing.ts). */
  claim(): number {
    return Atomics.add(this.cells, CLAIMED, 1);
  }

  /** Returns once all `parties` threads have called it (for this round); chunks count from 0 again. */
  arrive(parties: number): void {
    const round = Atomics.load(this.cells, ROUND);
    if (Atomics.add(this.cells, ARRIVED, 1) === parties - 1) {
      // The last to arrive opens the next round before releasing the others.
      Atomics.store(this.cells, ARRIVED, 0);
      Atomics.store(this.cells, CLAIMED, 0);
      Atomics.add(this.cells, ROUND, 1);
      Atomics.notify(this.cells, ROUND);
      return;
    }
    this.waitWhile(ROUND, round);
  }

  /** A helper: it failed (the message is posted separately); wakes every waiting thread to see it. */
  fail(): void {
    Atomics.store(this.cells, FAILED, 1);
    for (const cell of [ROUND, DONE, JOB]) {
      Atomics.add(this.cells, cell, 1);
      Atomics.notify(this.cells, cell);
    }
  }

  /** The team a thread of `parties` runs a job's step with. */
  team(parties: number): Team {
    return { claim: () => this.claim(), barrier: () => this.arrive(parties) };
  }

  get failed(): boolean {
    return Atomics.load(this.cells, FAILED) === 1;
  }

  private waitWhile(cell: number, value: number): void {
    while (Atomics.load(this.cells, cell) === value) {
      this.throwIfFailed();
      Atomics.wait(this.cells, cell, value);
    }
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failed) throw new HelperFailed();
  }
}

/** Thrown by a wait when a helper has failed; the helper's own error comes as a message. */
export class HelperFailed extends Error {
  constructor() {
    super('A boosting helper thread failed');
  }
}
