import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { numpyPeerEnv } from './bench-python';

/**
 * The serving benchmark's peer: `mlflow models serve` (2 workers) with a scikit-learn
 * HistGradientBoostingClassifier(max_iter=100) trained on the same CSV, as
 * ../shared/bench/peers/mlflow_serve.sh does. Python comes from PIPEWRIGHT_BENCH_PYTHON (a venv
 * with mlflow, scikit-learn and pandas), else `python3` on PATH.
 */

const TRAIN_SCRIPT = `
import sys, json, pandas as pd, mlflow.sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
d = pd.read_csv(sys.argv[1]); y = d.pop("target")
mlflow.sklearn.save_model(HistGradientBoostingClassifier(max_iter=100).fit(d, y), sys.argv[2], serialization_format="cloudpickle")
row = d.iloc[[0]].to_dict(orient="split"); row.pop("index", None)
open(sys.argv[3], "w").write(json.dumps({"dataframe_split": row}))
`;

/**
 * The environment of every Python command: this machine's OpenBLAS settings are for Node's
 * numerical code and make NumPy abort, so they are left out here, and only here. A venv's python
 * brings its bin folder first on PATH: mlflow starts `uvicorn` from there.
 */
function pythonEnv(python: string): NodeJS.ProcessEnv {
  const env = numpyPeerEnv();
  if (!python.includes(path.sep)) return env;
  return { ...env, PATH: `${path.dirname(python)}${path.delimiter}${env.PATH ?? ''}` };
}

export function benchPython(): string {
  return process.env.PIPEWRIGHT_BENCH_PYTHON ?? 'python3';
}

/** mlflow's and scikit-learn's versions, or why the peer cannot run. */
export function mlflowAvailable(python: string): { versions: string } | { missing: string } {
  const probe = spawnSync(
    python,
    [
      '-c',
      'import mlflow, sklearn, pandas; print(f"mlflow {mlflow.__version__}, scikit-learn {sklearn.__version__}")',
    ],
    { env: pythonEnv(python), encoding: 'utf8' },
  );
  if (probe.error) return { missing: `${python} cannot be started (${probe.error.message})` };
  if (probe.status !== 0) return { missing: `${python} has no mlflow, scikit-learn or pandas` };
  return { versions: probe.stdout.trim() };
}

export interface MlflowServer {
  url: string;
  /** One row of the CSV as MLflow's dataframe_split body. */
  body: string;
  stop(): Promise<void>;
}

/** Trains and saves the model, then starts `mlflow models serve` pinned to `core`; resolves when /health answers. */
export async function startMlflow(
  python: string,
  csv: string,
  port: number,
  core: number,
): Promise<MlflowServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-bench-mlflow-'));
  const modelDir = path.join(dir, 'model');
  const rowFile = path.join(dir, 'row.json');
  const script = path.join(dir, 'train.py');
  writeFileSync(script, TRAIN_SCRIPT);
  const trained = spawnSync(python, [script, csv, modelDir, rowFile], {
    env: pythonEnv(python),
    encoding: 'utf8',
  });
  if (trained.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`training the MLflow model failed: ${trained.stderr.slice(-800)}`);
  }
  const child = spawn(
    'taskset',
    [
      '-c',
      String(core),
      python,
      '-m',
      'mlflow',
      'models',
      'serve',
      '-m',
      modelDir,
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '--env-manager',
      'local',
      '--workers',
      '2',
    ],
    // Its own process group: the workers it forks stop with it.
    { env: pythonEnv(python), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopGroup(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(`${url}/health`, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `${url}/invocations`, body: readFileSync(rowFile, 'utf8'), stop };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`mlflow models serve exited: ${output().slice(-800)}`);
    const up = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`mlflow models serve did not answer within 180 s: ${output().slice(-800)}`);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  }, 10_000);
  await exited;
  clearTimeout(timer);
}
