/** f(w) and its gradient; the gradient array is written by the objective. */
export type Objective = (w: Float64Array, gradient: Float64Array) => number;

export interface LbfgsResult {
  w: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

/**
 * Limited-memory BFGS with a backtracking (Armijo) line search: minimises a smooth convex objective
 * such as a regularised log loss. Deterministic; stops when the gradient's largest component falls
 * under `tolerance` (as scikit-learn's lbfgs does with gtol) or after `maxIterations`.
 */
export function minimizeLbfgs(
  objective: Objective,
  start: Float64Array,
  options: { maxIterations?: number; tolerance?: number; memory?: number } = {},
): LbfgsResult {
  const maxIterations = options.maxIterations ?? 1000;
  const tolerance = options.tolerance ?? 1e-6;
  const memory = options.memory ?? 10;
  const n = start.length;
  let w = Float64Array.from(start);
  let gradient = new Float64Array(n);
  let value = objective(w, gradient);
  const steps: Float64Array[] = [];
  const changes: Float64Array[] = [];
  const rhos: number[] = [];
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (maxAbs(gradient) < tolerance) return { w, value, iterations: iteration, converged: true };
    const direction = twoLoop(gradient, steps, changes, rhos);
    let slope = dot(gradient, direction);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      steps.length = changes.length = rhos.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -(gradient[i] ?? 0);
      slope = dot(gradient, direction);
    }
    let stepSize = iteration === 0 ? Math.min(1, 1 / Math.max(1e-12, Math.sqrt(dot(gradient, gradient)))) : 1;
    const next = new Float64Array(n);
    const nextGradient = new Float64Array(n);
    let nextValue = Number.POSITIVE_INFINITY;
    for (let tries = 0; tries < 50; tries++) {
      for (let i = 0; i < n; i++) next[i] = (w[i] ?? 0) + stepSize * (direction[i] ?? 0);
      nextValue = objective(next, nextGradient);
      if (nextValue <= value + 1e-4 * stepSize * slope) break;
      stepSize /= 2;
    }
    if (!(nextValue < value) && Math.abs(nextValue - value) <= 1e-15 * Math.max(1, Math.abs(value))) {
      return { w, value, iterations: iteration, converged: true };
    }
    const step = new Float64Array(n);
    const change = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      step[i] = (next[i] ?? 0) - (w[i] ?? 0);
      change[i] = (nextGradient[i] ?? 0) - (gradient[i] ?? 0);
    }
    const curvature = dot(step, change);
    if (curvature > 1e-12) {
      steps.push(step);
      changes.push(change);
      rhos.push(1 / curvature);
      if (steps.length > memory) {
        steps.shift();
        changes.shift();
        rhos.shift();
      }
    }
    w = next;
    gradient = nextGradient;
    value = nextValue;
  }
  return { w, value, iterations: maxIterations, converged: maxAbs(gradient) < tolerance };
}

/** The two-loop recursion: −H·g with H the L-BFGS inverse-Hessian estimate. */
function twoLoop(
  gradient: Float64Array,
  steps: Float64Array[],
  changes: Float64Array[],
  rhos: number[],
): Float64Array {
  const q = Float64Array.from(gradient);
  const alphas: number[] = [];
  for (let k = steps.length - 1; k >= 0; k--) {
    const step = steps[k] ?? q;
    const alpha = (rhos[k] ?? 0) * dot(step, q);
    alphas[k] = alpha;
    const change = changes[k] ?? q;
    for (let i = 0; i < q.length; i++) q[i] = (q[i] ?? 0) - alpha * (change[i] ?? 0);
  }
  const last = steps.length - 1;
  const lastStep = steps[last];
  const lastChange = changes[last];
  const gamma = lastStep && lastChange ? dot(lastStep, lastChange) / dot(lastChange, lastChange) : 1;
  for (let i = 0; i < q.length; i++) q[i] = (q[i] ?? 0) * gamma;
  for (let k = 0; k < steps.length; k++) {
    const change = changes[k] ?? q;
    const beta = (rhos[k] ?? 0) * dot(change, q);
    const step = steps[k] ?? q;
    for (let i = 0; i < q.length; i++) q[i] = (q[i] ?? 0) + ((alphas[k] ?? 0) - beta) * (step[i] ?? 0);
  }
  for (let i = 0; i < q.length; i++) q[i] = -(q[i] ?? 0);
  return q;
}

function maxAbs(values: Float64Array): number {
  let max = 0;
  for (const value of values) max = Math.max(max, Math.abs(value));
  return max;
}
