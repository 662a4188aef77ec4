/** Held-out rows for early stopping, and scikit-learn's rule for when to stop. */

export interface ValidationSplit {
  /** Row indices, increasing. */
  train: Int32Array;
  validation: Int32Array;
}

/**
 * ⌈fraction · n⌉ rows held out at random (at most n − 1). For classification (classes > 0) the split
 * is stratified: each class gives its share, the rounding remainder going to the classes with the
 * largest fractional parts (ties to the lower class), as scikit-learn's StratifiedShuffleSplit.
 */
export function splitValidation(
  y: ArrayLike<number>,
  classes: number,
  fraction: number,
  random: () => number,
): ValidationSplit {
  const n = y.length;
  const wanted = Math.min(n - 1, Math.ceil(fraction * n));
  const groups = classes > 0 ? rowsByClass(y, classes) : [Int32Array.from({ length: n }, (_, i) => i)];
  const quotas = allocate(
    groups.map((group) => group.length),
    wanted,
  );
  const held = new Uint8Array(n);
  for (const [index, group] of groups.entries()) {
    const quota = quotas[index] ?? 0;
    // Partial Fisher–Yates: the first `quota` of a shuffled group are held out.
    for (let i = 0; i < quota; i++) {
      const j = i + Math.floor(random() * (group.length - i));
      const picked = group[j] ?? 0;
      group[j] = group[i] ?? 0;
      group[i] = picked;
      held[picked] = 1;
    }
  }
  const train = new Int32Array(n - wanted);
  const validation = new Int32Array(wanted);
  let t = 0;
  let v = 0;
  for (let row = 0; row < n; row++) {
    if (held[row]) validation[v++] = row;
    else train[t++] = row;
  }
  return { train, validation };
}

/**
 * scikit-learn's _should_stop on losses (lower is better; losses[0] is the baseline's): stop when none
 * of the last `patience` losses is below the one `patience` + 1 from the end by more than `tol`.
 */
export function shouldStop(losses: readonly number[], patience: number, tol: number): boolean {
  if (losses.length < patience + 1) return false;
  const reference = (losses[losses.length - patience - 1] ?? 0) - tol;
  for (let i = losses.length - patience; i < losses.length; i++)
    if ((losses[i] ?? 0) < reference) return false;
  return true;
}

function rowsByClass(y: ArrayLike<number>, classes: number): Int32Array[] {
  const counts = new Int32Array(classes);
  for (let i = 0; i < y.length; i++) counts[y[i] ?? 0] = (counts[y[i] ?? 0] ?? 0) + 1;
  const groups = Array.from(counts, (count) => new Int32Array(count));
  const filled = new Int32Array(classes);
  for (let i = 0; i < y.length; i++) {
    const label = y[i] ?? 0;
    const slot = filled[label] ?? 0;
    filled[label] = slot + 1;
    const group = groups[label];
    if (group) group[slot] = i;
  }
  return groups;
}

/** `total` spread over groups in proportion to their sizes: floors, then largest remainders. */
function allocate(sizes: number[], total: number): number[] {
  const n = sizes.reduce((sum, size) => sum + size, 0);
  if (n === 0) return sizes.map(() => 0);
  const exact = sizes.map((size) => (total * size) / n);
  const quotas = exact.map(Math.floor);
  let left = total - quotas.reduce((sum, quota) => sum + quota, 0);
  const order = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    if ((quotas[index] ?? 0) < (sizes[index] ?? 0)) {
      quotas[index] = (quotas[index] ?? 0) + 1;
      left--;
    }
  }
  return quotas;
}
