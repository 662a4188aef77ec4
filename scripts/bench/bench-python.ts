import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The Python a benchmark's peer runs with: PIPEWRIGHT_BENCH_PYTHON, else this machine's bench venv,
 * else python3; null when none is there. Whether it has the peer's packages is the peer's to say.
 */
export function findBenchPython(): string | null {
  for (const candidate of [process.env.PIPEWRIGHT_BENCH_PYTHON, '/work/.venv-bench/bin/python', 'python3']) {
    if (!candidate || (candidate.includes(path.sep) && !existsSync(candidate))) continue;
    return candidate;
  }
  return null;
}

/**
 * The environment a NumPy peer runs in: this one without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE.
 * These machines set them for an old OpenBLAS build; they slow a current NumPy down or make it
 * abort, so a peer measured with them would not be at its best. Left out here, and only here.
 */
export function numpyPeerEnv(): NodeJS.ProcessEnv {
  const { OPENBLAS_CORETYPE: _coretype, OPENBLAS_L2_SIZE: _l2, ...env } = process.env;
  return env;
}
