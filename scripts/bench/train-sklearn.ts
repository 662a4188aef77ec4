import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findBenchPython, numpyPeerEnv } from './bench-python';
import type { PreparedSet } from './train-data';

/** sklearn_ref.py's names for the models it fits. */
export type SklearnAlgo = 'hgb' | 'rf' | 'tree' | 'logreg' | 'ridge';

/** The JSON line sklearn_ref.py prints. */
export interface SklearnResult {
  algo: SklearnAlgo;
  task: 'classification' | 'regression';
  rows: { train: number; test: number };
  fit_s: number;
  predict_s: number;
  one_row_ms: number;
  metrics: Record<string, number>;
  versions: { sklearn: string; python: string };
}

/** Why the reference cannot run (missing script, Python or packages), or undefined when it can. */
export function sklearnMissing(script: string): string | undefined {
  if (!existsSync(script)) return `${script} is not there`;
  const python = findBenchPython();
  if (!python) return 'no Python found (set PIPEWRIGHT_BENCH_PYTHON)';
  const check = spawnSync(python, ['-c', 'import sklearn, pandas'], {
    encoding: 'utf8',
    env: numpyPeerEnv(),
  });
  if (check.error) return `${python} cannot be started`;
  if (check.status !== 0) return `${python} has no scikit-learn or pandas`;
  return undefined;
}

/**
 * Fits the reference model on the same train.csv / test.csv as ours. Runs while nothing else
 * does, so RandomForest(n_jobs=2) and our two training threads each get the machine to themselves.
 */
export function runSklearn(
  script: string,
  set: PreparedSet,
  algo: SklearnAlgo,
  repeat: number,
): SklearnResult {
  const args = [script, '--train', set.train, '--test', set.test, '--target', set.target];
  args.push('--algo', algo, '--task', set.task, '--repeat', String(repeat));
  const result = spawnSync(findBenchPython() ?? 'python3', args, {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    env: numpyPeerEnv(),
  });
  if (result.status !== 0)
    throw new Error(`sklearn_ref.py --algo ${algo} on ${set.name} failed: ${result.stderr || result.error}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
}
