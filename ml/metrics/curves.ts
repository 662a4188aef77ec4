/** ROC and precision-recall curves for a binary target (1 = positive), one point per distinct score. */

export interface RocPoint {
  fpr: number;
  tpr: number;
  threshold: number;
}

export interface PrPoint {
  precision: number;
  recall: number;
  threshold: number;
}

/** Distinct thresholds from the highest score down, with true and false positives at or above each. */
function cumulative(yTrue: ArrayLike<number>, scores: ArrayLike<number>) {
  const order = Array.from({ length: yTrue.length }, (_, index) => index).sort(
    (a, b) => (scores[b] ?? 0) - (scores[a] ?? 0),
  );
  const points: { threshold: number; tp: number; fp: number }[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const index = order[k] ?? 0;
    if (yTrue[index] === 1) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[index])
      points.push({ threshold: scores[index] ?? 0, tp, fp });
  }
  return { points, positives: tp, negatives: fp };
}

export function rocCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>): RocPoint[] {
  const { points, positives, negatives } = cumulative(yTrue, scores);
  return [
    { fpr: 0, tpr: 0, threshold: Number.POSITIVE_INFINITY },
    ...points.map((point) => ({
      fpr: negatives ? point.fp / negatives : 0,
      tpr: positives ? point.tp / positives : 0,
      threshold: point.threshold,
    })),
  ];
}

export function precisionRecallCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>): PrPoint[] {
  const { points, positives } = cumulative(yTrue, scores);
  return points.map((point) => ({
    precision: point.tp / (point.tp + point.fp),
    recall: positives ? point.tp / positives : 0,
    threshold: point.threshold,
  }));
}

/** Area under a curve of (x, y) points by the trapezoid rule, points in increasing x. */
export function trapezoidArea(points: { x: number; y: number }[]): number {
  let area = 0;
  for (let k = 1; k < points.length; k++) {
    const a = points[k - 1];
    const b = points[k];
    if (a && b) area += ((b.x - a.x) * (a.y + b.y)) / 2;
  }
  return area;
}
