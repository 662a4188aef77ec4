import type { Team } from '../../ml/boosting/sharing';

/**
 * How a fitting thread and its boosting helper threads (boosting-helpers.ts) signal each other: a
 * few 32-bit cells in shared memory, waited on with Atomics.wait and woken with Atomics.notify. The
 * fitting thread never returns to its event loop during a fit, so it could not receive a message
 * through it.
 *
 * The fitting thread never waits for a helper to come: a step's chunks go to whichever thread
 * claims them first, and the step is over once every chunk is done, whoever did it. A helper that
 * wakes late (another process had its core) finds the chunks taken and skips the step, instead of
 * holding every thread at each barrier as a count of arrived threads would. For that, each phase of
 * a step (a step has one, or two around a barrier) has a tag, kept with the count of chunks taken
 * in one cell: a helper only takes chunks of the phase it expects.
 */

/** The cells, each an index into the Int32Array. */
const READY = 0; // helpers listening for jobs
const JOB = 1; // jobs handed out so far
const CLAIMED = 2; // the open phase's tag (upper 16 bits) and chunks taken in it (lower 16 bits)
const DONE = 3; // chunks of the open phase done
const FAILED = 4; // 1 once a helper has failed
const STOPPED = 5; // 1 once the fit has ended
const HELPED = 6; // chunks helpers have taken, over the fit
const CELLS = 7;

/** How long a waiting thread watches its cell before it sleeps (see sleepUnlessChanged). */
const SPIN_MS = 0.5;

/** Chunks per phase at most: the count shares its cell with the tag. */
export const MAX_CHUNKS = 0xffff;
const TAG_BITS = 16;
const tagOf = (claimed: number) => claimed >>> TAG_BITS;
const tagged = (tag: number, count: number) => ((tag & 0xffff) << TAG_BITS) | count;

/** The fitting thread's team for one job: `finish` returns once all its chunks are done. */
export interface FitterTeam extends Team {
  finish(): void;
}

export class HelperSignals {
  readonly cells: Int32Array;
  /** The fitting thread's last phase tag. */
  private tag = 0;

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

  /** Chunks the helpers have taken so far. */
  helpedChunks(): number {
    return Atomics.load(this.cells, HELPED);
  }

  readyCount(): number {
    return Atomics.load(this.cells, READY);
  }

  /**
   * The fitting thread: opens the next job's first phase, calls `post(tag)` to post the job to the
   * helpers with that tag, then wakes them. Returns the team to run the job's step with.
   */
  startJob(post: (tag: number) => void): FitterTeam {
    this.throwIfFailed();
    this.openPhase(this.tag + 1);
    post(this.tag);
    Atomics.add(this.cells, JOB, 1);
    Atomics.notify(this.cells, JOB);
    let chunks = 0;
    const held = { chunk: false };
    return {
      claim: (count) => {
        chunks = count;
        return this.claim(this.tag, count, held);
      },
      barrier: () => {
        this.waitForChunks(chunks);
        this.openPhase(this.tag + 1);
      },
      finish: () => {
        this.waitForChunks(chunks);
        // A tag no helper expects, with no chunk to take: a helper still at a barrier of this job
        // wakes, finds its next phase gone, and is done with the job.
        this.closePhase(this.tag + 1);
      },
    };
  }

  /** A helper: waits for the job after `seen` and returns its number, or null once the fit has ended. */
  waitForJob(seen: number): number | null {
    this.waitWhile(JOB, seen);
    return Atomics.load(this.cells, STOPPED) === 1 ? null : seen + 1;
  }

  /** A helper: whether the phase tagged `tag` is still open (else its job is over). */
  isOpen(tag: number): boolean {
    return tagOf(Atomics.load(this.cells, CLAIMED)) === (tag & 0xffff);
  }

  /** A helper's team for the job whose first phase is tagged `tag`. */
  helperTeam(tag: number): Team {
    let phase = tag;
    const held = { chunk: false };
    return {
      claim: (chunks) => {
        const chunk = this.claim(phase, chunks, held);
        if (chunk < chunks) Atomics.add(this.cells, HELPED, 1);
        return chunk;
      },
      barrier: () => {
        this.waitWhile(CLAIMED, undefined, phase);
        phase++;
      },
    };
  }

  /** The fitting thread: the fit has ended (no job is running); wakes the helpers to return. */
  stop(): void {
    Atomics.store(this.cells, STOPPED, 1);
    Atomics.add(this.cells, JOB, 1);
    Atomics.notify(this.cells, JOB);
  }

  /** A helper: it failed (the message is posted separately); wakes every waiting thread to see it. */
  fail(): void {
    Atomics.store(this.cells, FAILED, 1);
    // Changed values, so a thread about to wait does not sleep through the news: a tag nobody
    // expects, and a done count past any phase's chunks.
    Atomics.add(this.cells, CLAIMED, 1 << TAG_BITS);
    Atomics.add(this.cells, DONE, MAX_CHUNKS + 1);
    Atomics.add(this.cells, JOB, 1);
    for (const cell of [CLAIMED, DONE, JOB]) Atomics.notify(this.cells, cell);
  }

  get failed(): boolean {
    return Atomics.load(this.cells, FAILED) === 1;
  }

  /**
   * The next chunk of phase `tag` (`chunks` once none is left or the phase is over). Before taking
   * one, the thread marks the chunk it took last done: claims come after a chunk's work.
   */
  private claim(tag: number, chunks: number, held: { chunk: boolean }): number {
    if (chunks > MAX_CHUNKS) throw new Error(`A step phase has ${chunks} chunks, more than ${MAX_CHUNKS}`);
    if (held.chunk && Atomics.add(this.cells, DONE, 1) + 1 >= chunks) Atomics.notify(this.cells, DONE);
    held.chunk = false;
    const mine = tag & 0xffff;
    for (;;) {
      const claimed = Atomics.load(this.cells, CLAIMED);
      const count = claimed & 0xffff;
      if (tagOf(claimed) !== mine || count >= chunks) return chunks;
      if (Atomics.compareExchange(this.cells, CLAIMED, claimed, claimed + 1) === claimed) {
        held.chunk = true;
        return count;
      }
    }
  }

  private openPhase(tag: number): void {
    this.tag = tag;
    Atomics.store(this.cells, DONE, 0);
    Atomics.store(this.cells, CLAIMED, tagged(tag, 0));
    Atomics.notify(this.cells, CLAIMED);
  }

  private closePhase(tag: number): void {
    this.tag = tag;
    Atomics.store(this.cells, CLAIMED, tagged(tag, MAX_CHUNKS));
    Atomics.notify(this.cells, CLAIMED);
  }

  /** The fitting thread: waits until all `chunks` chunks of the open phase are done. */
  private waitForChunks(chunks: number): void {
    for (let done = Atomics.load(this.cells, DONE); done < chunks; done = Atomics.load(this.cells, DONE))
      this.sleepUnlessChanged(DONE, done);
    this.throwIfFailed();
  }

  /** Waits while `cell` holds `value` (or, for CLAIMED, while its tag is `tag`). */
  private waitWhile(cell: number, value?: number, tag?: number): void {
    for (;;) {
      this.throwIfFailed();
      const now = Atomics.load(this.cells, cell);
      if (tag === undefined ? now !== value : tagOf(now) !== (tag & 0xffff)) return;
      this.sleepUnlessChanged(cell, now);
    }
  }

  /**
   * Returns once `cell` no longer holds `value`, or after a wake-up: first watching it for up to
   * SPIN_MS, then asleep in Atomics.wait. A sleeping thread takes 50–100 µs to wake here (a virtual
   * machine's idle core), as long as a small step takes: without the watch, a helper would join
   * each step as it ends and help with nothing. Steps come faster than SPIN_MS apart during a
   * fit, so the watch rarely ends in sleep; OpenMP's threads (scikit-learn's) watch likewise.
   */
  private sleepUnlessChanged(cell: number, value: number): void {
    const until = performance.now() + SPIN_MS;
    do {
      for (let spin = 0; spin < 256; spin++) if (Atomics.load(this.cells, cell) !== value) return;
    } while (performance.now() < until);
    Atomics.wait(this.cells, cell, value);
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
