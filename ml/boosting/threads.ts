import type { FeatureMatrix } from '../linear/ridge';
import { addTreeScores } from './apply-tree';
import { type BinsWork, cutColumns } from './binning';
import { type GatherScratch, subtractHistogram, sumGatheredFeatures, sumRootFeatures } from './histogram';
import { lossFor } from './loss';
import type { BoostedTree } from './model';
import { addLeafValues, type Leaves, type PartitionBuffers, partitionRows } from './partition';
import { gatherRows, type RowRecords, storeGradients } from './row-codes';
import { alone, featureChunks, rowBlock, rowBlocks, type Team } from './sharing';

/**
 * Sharing a boosting fit's per-row work between threads. ml/ only describes the work, as steps
 * that a team of threads runs together, each taking chunks of it (sharing.ts); starting the
 * threads and handing out the chunks is the caller's (nodes/train/boosting-helpers.ts), passed in
 * as BoostingThreads. Every step splits without changing a bit of the result: histograms by
 * feature (each feature's sums are independent of the others', and a chunk sums all rows in the
 * same order), the other steps by rows, each row being computed exactly as one thread would.
 */

/** The tree grower's arrays, fixed for a fit (shared memory when threads help). */
export interface GrowerWorkspace extends PartitionBuffers {
  /** Bin codes column-major (feature c of row r at c · rows + r). */
  codes: Uint8Array;
  /** The same codes row-major with each row's gradients, for gathering a node's rows. */
  records: RowRecords;
  rows: number;
  cols: number;
  /** Rows per bin of every feature over all rows (countBins). */
  rootCounts: Float64Array;
  /** Where a node's rows are gathered before their histogram is summed. */
  gathered: GatherScratch;
}

/** The bins being learnt (binning.ts's BinsWork), shared likewise. */
export type BinsWorkspace = BinsWork;

/** fitBoosted's arrays for the training rows' scores and the validation rows (shared likewise). */
export interface ScoresWorkspace {
  /** 0 for regression, else the class count (see lossFor). */
  classes: number;
  y: Float64Array;
  /** Raw scores, class-major (see loss.ts). */
  raw: Float64Array;
  gradHess: Float64Array;
  /** The grower's records, which get a copy of the gradients. */
  records: RowRecords;
  validation: FeatureMatrix;
  rawValidation: Float64Array;
}

/**
 * One piece of work, with the workspace it reads and writes. When threads help, every array a step
 * writes (its workspace's, `hist`, `raw`) is in shared memory, or the helpers would fill copies.
 */
export type Step =
  /** Every feature's bins: its sampled values sorted and cut. */
  | { kind: 'bins'; workspace: BinsWorkspace }
  /** The root's histogram (all rows). */
  | { kind: 'root'; workspace: GrowerWorkspace; hist: Float64Array; gradHess: Float64Array }
  /**
   * A node's histogram for output `output`'s gradients: its rows gathered, then summed. With
   * `parent` (its parent's histogram), the parent then becomes its sibling's, by subtraction.
   */
  | {
      kind: 'node';
      workspace: GrowerWorkspace;
      hist: Float64Array;
      parent?: Float64Array;
      output: number;
      start: number;
      end: number;
    }
  /** A split: partition[start..end) reordered, rows with goesLeft[code of `feature`] = 1 first. */
  | {
      kind: 'partition';
      workspace: GrowerWorkspace;
      feature: number;
      goesLeft: Uint8Array;
      start: number;
      end: number;
    }
  /** A grown tree's leaf values added to its training rows' raw scores (one output's). */
  | { kind: 'leafValues'; workspace: GrowerWorkspace; leaves: Leaves; raw: Float64Array }
  /** Gradients and hessians of every training row, also copied into the records. */
  | { kind: 'gradients'; workspace: ScoresWorkspace }
  /** A grown tree's scores added to the validation rows' raw scores of output `output`. */
  | { kind: 'treeScores'; workspace: ScoresWorkspace; tree: BoostedTree; output: number };

/** Threads to share steps with, besides the one fitting. */
export interface BoostingThreads {
  /** Threads a step is shared between, the calling one included. */
  readonly parts: number;
  /**
   * Steps of less work than this (see stepWork) run on the calling thread alone: handing work to
   * another thread costs tens of microseconds, more than a small step takes.
   */
  readonly minWork: number;
  /**
   * Runs runStep(step, team) on every thread at once, the calling one included, with `team` handing
   * out the step's chunks between them, and returns when all have finished. It may instead run the
   * step on the calling thread alone (team: alone()), for example while the others start: the
   * result is the same.
   */
  run(step: Step): void;
}

/** Runs the step, shared with the threads when there are some and it is worth it. */
export function runShared(step: Step, threads: BoostingThreads | undefined): void {
  if (threads && threads.parts > 1 && stepWork(step) >= threads.minWork) threads.run(step);
  else runStep(step, alone());
}

/**
 * A step's work in histogram cells (one row's gradient added to one feature's bin, a few
 * nanoseconds): what decides whether it is worth sharing. The other steps' weights per row are
 * rough measurements against that.
 */
export function stepWork(step: Step): number {
  switch (step.kind) {
    case 'bins':
      // A sort: some 20 cells' time per value.
      return step.workspace.columns.length * 20;
    case 'root':
      return step.workspace.rows * step.workspace.cols;
    case 'node':
      return (step.end - step.start) * step.workspace.cols;
    case 'partition':
      return (step.end - step.start) * 6;
    case 'leafValues':
      return step.workspace.rows * 2;
    case 'gradients':
      return step.workspace.raw.length * 10;
    case 'treeScores':
      return step.workspace.validation.rows * 10;
  }
}

/** One thread's share of a step: the chunks `team` gives it. */
export function runStep(step: Step, team: Team): void {
  switch (step.kind) {
    case 'bins': {
      const cols = step.workspace.cutCounts.length;
      for (let c = team.claim(cols); c < cols; c = team.claim(cols)) cutColumns(step.workspace, c, c + 1);
      break;
    }
    case 'root':
      rootHistogram(step, team);
      break;
    case 'node':
      nodeHistogram(step, team);
      break;
    case 'partition': {
      const { workspace: w, feature, goesLeft, start, end } = step;
      partitionRows(w, w.codes, feature * w.rows, goesLeft, start, end, team);
      break;
    }
    case 'leafValues': {
      const { leaves, raw, workspace } = step;
      forRowBlocks(workspace.rows, team, (from, to) =>
        addLeafValues(leaves, workspace.partition, raw, from, to),
      );
      break;
    }
    case 'gradients': {
      const { classes, y, raw, gradHess, records } = step.workspace;
      const loss = lossFor(classes);
      forRowBlocks(y.length, team, (from, to) => {
        loss.gradients(y, raw, gradHess, from, to);
        storeGradients(records, gradHess, from, to);
      });
      break;
    }
    case 'treeScores': {
      const { validation, rawValidation } = step.workspace;
      const m = validation.rows;
      const out = rawValidation.subarray(step.output * m, (step.output + 1) * m);
      forRowBlocks(m, team, (from, to) => addTreeScores(step.tree, validation, out, from, to));
      break;
    }
  }
}

/** Each feature chunk sums its features over all rows, from the column-major codes. */
function rootHistogram(step: Extract<Step, { kind: 'root' }>, team: Team): void {
  const { codes, rows, cols, rootCounts } = step.workspace;
  const chunks = featureChunks(cols);
  for (let chunk = team.claim(chunks.length); chunk < chunks.length; chunk = team.claim(chunks.length)) {
    const [from, to] = chunks[chunk] ?? [0, 0];
    sumRootFeatures(step.hist, codes, rows, step.gradHess, rootCounts, from, to);
  }
}

/**
 * The node's rows are gathered first, a block of rows per chunk; after the barrier (all rows
 * gathered), each feature chunk sums its features over all of them, then subtracts them from the
 * parent's while they are still in cache.
 */
function nodeHistogram(step: Extract<Step, { kind: 'node' }>, team: Team): void {
  const { records, cols, partition, gathered } = step.workspace;
  const { start, output } = step;
  const m = step.end - start;
  forRowBlocks(m, team, (first, last) =>
    gatherRows(
      records,
      output,
      partition,
      start + first,
      start + last,
      gathered.codes,
      gathered.gradHess,
      first,
    ),
  );
  team.barrier();
  const chunks = featureChunks(cols);
  for (let chunk = team.claim(chunks.length); chunk < chunks.length; chunk = team.claim(chunks.length)) {
    const [from, to] = chunks[chunk] ?? [0, 0];
    sumGatheredFeatures(step.hist, gathered, m, from, to);
    if (step.parent) subtractHistogram(step.parent, step.hist, from, to);
  }
}

/** Calls `work(from, to)` for the blocks of rows 0..rows − 1 that this thread claims. */
function forRowBlocks(rows: number, team: Team, work: (from: number, to: number) => void): void {
  const blocks = rowBlocks(rows);
  for (let block = team.claim(blocks); block < blocks; block = team.claim(blocks)) {
    const [from, to] = rowBlock(rows, block, blocks);
    work(from, to);
  }
}
