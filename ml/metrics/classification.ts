/**
 * Classification metrics on class indices (0..k-1) and row-major probabilities (n × k). Pure; the
 * names and definitions follow scikit-learn so figures can be compared directly.
 */

export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  classes: number,
): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const row = matrix[yTrue[i] ?? 0];
    const col = yPred[i] ?? 0;
    if (row) row[col] = (row[col] ?? 0) + 1;
  }
  return matrix;
}

export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  if (yTrue.length === 0) return Number.NaN;
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

export interface PerClassScores {
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
}

/** Per-class precision, recall and F1; a class never predicted (or absent) scores 0, as scikit-learn does. */
export function perClassScores(matrix: number[][]): PerClassScores {
  const classes = matrix.length;
  const scores: PerClassScores = { precision: [], recall: [], f1: [], support: [] };
  for (let c = 0; c < classes; c++) {
    const truePositive = matrix[c]?.[c] ?? 0;
    const predicted = matrix.reduce((sum, row) => sum + (row[c] ?? 0), 0);
    const actual = (matrix[c] ?? []).reduce((sum, value) => sum + value, 0);
    const precision = predicted ? truePositive / predicted : 0;
    const recall = actual ? truePositive / actual : 0;
    scores.precision.push(precision);
    scores.recall.push(recall);
    scores.f1.push(precision + recall ? (2 * precision * recall) / (precision + recall) : 0);
    scores.support.push(actual);
  }
  return scores;
}

export function macroAverage(values: number[]): number {
  return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : Number.NaN;
}

export function weightedAverage(values: number[], weights: number[]): number {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return total
    ? values.reduce((sum, value, index) => sum + value * (weights[index] ?? 0), 0) / total
    : Number.NaN;
}

/**
 * Area under the ROC curve for a binary target (1 = positive) from scores, by the rank statistic
 * (Mann–Whitney U) with ties counted half: O(n log n) and exact.
 */
export function rocAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  const order = Array.from({ length: yTrue.length }, (_, index) => index).sort(
    (a, b) => (scores[a] ?? 0) - (scores[b] ?? 0),
  );
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1] ?? 0] === scores[order[start] ?? 0]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (yTrue[order[k] ?? 0] === 1) {
        positives++;
        rankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = yTrue.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** One-vs-rest ROC AUC, macro-averaged over the classes present. */
export function rocAucOvr(
  yTrue: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  classes: number,
): number {
  const aucs: number[] = [];
  for (let c = 0; c < classes; c++) {
    const binary = Array.from(yTrue, (label) => (label === c ? 1 : 0));
    const scores = Array.from({ length: yTrue.length }, (_, row) => probabilities[row * classes + c] ?? 0);
    const auc = rocAuc(binary, scores);
    if (!Number.isNaN(auc)) aucs.push(auc);
  }
  return macroAverage(aucs);
}

/** Mean negative log-likelihood of the true class, probabilities clipped to [eps, 1 − eps]. */
export function logLoss(
  yTrue: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  classes: number,
  eps = 1e-15,
): number {
  let total = 0;
  for (let row = 0; row < yTrue.length; row++) {
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += probabilities[row * classes + c] ?? 0;
    const p = (probabilities[row * classes + (yTrue[row] ?? 0)] ?? 0) / (sum || 1);
    total -= Math.log(Math.min(1 - eps, Math.max(eps, p)));
  }
  return total / yTrue.length;
}
