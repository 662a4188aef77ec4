import { Piscina } from 'piscina';
import { afterAll, describe, expect, it } from 'vitest';
import { type BoostingOptions, fitBoosted } from '../../ml/boosting/hist-gbm';
import { countBins } from '../../ml/boosting/histogram';
import { partitionBuffers } from '../../ml/boosting/partition';
import { rowCodesLike, toRowRecords } from '../../ml/boosting/row-codes';
import type { Step } from '../../ml/boosting/threads';
import type { FeatureMatrix } from '../../ml/linear/ridge';
import { seededRandom } from '../../ml/random';
import { BoostingHelpers, linkHelpers, withWorkspace } from './boosting-helpers';
import { HelperFailed, HelperSignals } from './helper-signals';

// Helpers run on threads of their own, as in the training pool (fit-pool.ts).
const pool = new Piscina({
  filename: new URL('./boosting-helper-thread.ts', import.meta.url).href,
  execArgv: ['--import', 'tsx'],
  maxThreads: 2,
});
afterAll(() => pool.destroy());

/** Rows with noise, missing values, a few-valued feature and ties, labelled by a noisy rule. */
function data(rows: number, classes: number): { x: FeatureMatrix; y: Float64Array } {
  const random = seededRandom(rows + classes);
  const cols = 9;
  const values = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++)
      values[r * cols + c] =
        c === 2 ? Math.floor(random() * 4) : random() < 0.05 ? Number.NaN : random() - 0.5;
    const score = (values[r * cols] || 0) - (values[r * cols + 1] || 0) + 0.3 * (values[r * cols + 2] ?? 0);
    const noisy = score + 0.4 * (random() - 0.5);
    y[r] =
      classes === 0 ? noisy : Math.min(classes - 1, Math.max(0, Math.floor((noisy + 1) * (classes / 2))));
  }
  return { x: { values, rows, cols }, y };
}

/** Helpers started on the pool, and once they all listen, the fitting thread's side. */
async function startHelpers(count: number): Promise<{ helpers: BoostingHelpers; done: Promise<unknown> }> {
  const { link, starts } = linkHelpers(count);
  const done = Promise.all(starts.map((start) => pool.run(start, { transferList: [start.port] })));
  // Every step is shared, however small, so all of them are exercised on a small set.
  const helpers = new BoostingHelpers(link, { minWork: 0 });
  while (!helpers.started) await new Promise((resolve) => setTimeout(resolve, 10));
  return { helpers, done };
}

describe('boosting on several threads', () => {
  it.each([
    ['binary', 2, 1],
    ['multiclass', 3, 1],
    ['regression', 0, 1],
    ['binary on three threads', 2, 2],
  ])('fits the same model to the bit as one thread (%s)', async (_, classes, count) => {
    const { x, y } = data(10_000, classes);
    // Early stopping on: validation scoring is shared too.
    const options: BoostingOptions = { classes, maxIter: 15, earlyStopping: true, minSamplesLeaf: 5 };
    const alone = fitBoosted(x, y, options);
    const { helpers, done } = await startHelpers(count);
    try {
      const shared = fitBoosted(x, y, { ...options, threads: helpers });
      expect(shared).toEqual(alone);
      expect(helpers.sharedSteps).toBeGreaterThan(100);
      expect(helpers.helpedChunks).toBeGreaterThan(0);
    } finally {
      helpers.close();
    }
    // close() makes the helpers return, freeing their threads.
    await done;
  });

  it('runs steps on the calling thread alone until the helpers listen', () => {
    const { x, y } = data(2000, 2);
    const { link } = linkHelpers(1); // no helper task is started
    const helpers = new BoostingHelpers(link, { minWork: 0 });
    const options: BoostingOptions = { classes: 2, maxIter: 5, earlyStopping: true };
    expect(fitBoosted(x, y, { ...options, threads: helpers })).toEqual(fitBoosted(x, y, options));
    expect(helpers.sharedSteps).toBe(0);
    helpers.close();
  });

  it('refuses to share arrays that are not in shared memory (helpers would fill copies)', async () => {
    const rows = 100;
    const cols = 2;
    const codes = new Uint8Array(rows * cols);
    const workspace = {
      codes,
      records: toRowRecords(codes, rows, cols, 1),
      rows,
      cols,
      rootCounts: countBins(codes, rows, cols),
      ...partitionBuffers(rows, (bytes) => new ArrayBuffer(bytes)),
      gathered: { codes: rowCodesLike(rows, cols), gradHess: new Float64Array(2 * rows) },
    };
    const { helpers, done } = await startHelpers(1);
    const step: Step = {
      kind: 'root',
      workspace,
      hist: new Float64Array(1536),
      gradHess: new Float64Array(200),
    };
    expect(() => helpers.run(step)).toThrow('needs its arrays in shared memory');
    helpers.close();
    await done;
  });

  it('fails the fit with the error of a helper that throws, instead of waiting for it', async () => {
    const { link, starts } = linkHelpers(1);
    const [start] = starts;
    const [port] = link.ports;
    if (!start || !port) throw new Error('linkHelpers(1) gave no helper');
    const done = pool.run(start, { transferList: [start.port] });
    const signals = new HelperSignals(link.cells);
    while (signals.readyCount() < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    // A job whose workspace was never posted: the helper cannot run it.
    const team = signals.startJob((tag) =>
      port.postMessage({ tag, workspaceId: 7, fields: { kind: 'gradients' } }),
    );
    await expect(done).rejects.toThrow('Step gradients came before its workspace');
    // The fitting thread does not wait for helpers, but learns of the failure when its job ends.
    expect(() => team.finish()).toThrow(HelperFailed);
    port.close();
  });

  it('hands each chunk out once, and a helper that comes after the chunks are taken takes none', () => {
    const signals = new HelperSignals();
    const posted: number[] = [];
    const fitter = signals.startJob((tag) => posted.push(tag));
    const [tag = -1] = posted;
    const early = signals.helperTeam(tag);
    // Phase one: the helper and the fitting thread share 3 chunks, in the order they claim them.
    expect([fitter.claim(3), early.claim(3), fitter.claim(3), early.claim(3), fitter.claim(3)]).toEqual([
      0, 1, 2, 3, 3,
    ]);
    fitter.barrier();
    // Phase two: the fitting thread takes all; a helper claiming phase one's tag gets nothing.
    expect([fitter.claim(2), fitter.claim(2), fitter.claim(2)]).toEqual([0, 1, 2]);
    expect(signals.helperTeam(tag).claim(2)).toBe(2);
    fitter.finish();
    // The job is over: a late helper skips it, and its claims find nothing.
    expect(signals.isOpen(tag)).toBe(false);
    expect(early.claim(2)).toBe(2);
    expect(signals.helpedChunks()).toBe(1);
  });

  it('refuses a step posted with another kind of workspace', () => {
    const { x, y } = data(100, 2);
    const scores = { classes: 2, y, raw: y, gradHess: y, validation: x, rawValidation: y };
    const records = toRowRecords(new Uint8Array(100 * 9), 100, 9, 1);
    expect(() => withWorkspace({ kind: 'root', hist: y, gradHess: y }, { ...scores, records })).toThrow(
      "Step root came with another kind's workspace",
    );
  });
});
