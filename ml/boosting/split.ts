import { MISSING_BIN } from './binning';
import { FEATURE_STRIDE } from './histogram';

export interface SplitParams {
  minSamplesLeaf: number;
  /** Each child needs at least this hessian sum (scikit-learn's min_hessian_to_split, 1e-3). */
  minHessianToSplit: number;
  l2Regularization: number;
}

/**
 * A node's best split: rows with bin <= `bin` go left; missing values go left when `missingLeft`.
 * `bin` = the feature's last non-missing bin means "non-missing left, missing right" (a split on
 * missingness). feature −1: no split improves the loss under the constraints.
 */
export class SplitInfo {
  feature = -1;
  bin = 0;
  missingLeft = false;
  gain = 0;
  gradLeft = 0;
  hessLeft = 0;
  countLeft = 0;
}

/**
 * A node's score G² / (H + λ): twice the loss its value −G / (H + λ) takes off (second-order), so a
 * split's gain is the children's scores minus the parent's.
 */
export function nodeScore(sumGrad: number, sumHess: number, l2: number): number {
  return (sumGrad * sumGrad) / (sumHess + l2 + 1e-15);
}

export function nodeValue(sumGrad: number, sumHess: number, l2: number): number {
  return -sumGrad / (sumHess + l2 + 1e-15);
}

/**
 * Scans every feature's histogram for the split with the largest gain
 * G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ), as scikit-learn's splitter. A node with missing values
 * in a feature tries them on both sides (one left-to-right scan with missing right, one
 * right-to-left with missing left). A node without any sends them to the child with more rows (ties
 * right), the side scikit-learn picks for a feature that had no missing values in training. Only a
 * gain above 0 counts; ties keep the candidate scanned first.
 */
export function findBestSplit(
  hist: Float64Array,
  binCounts: Int32Array,
  sumGrad: number,
  sumHess: number,
  count: number,
  params: SplitParams,
  best: SplitInfo,
): void {
  const cols = binCounts.length;
  const lambda = params.l2Regularization + 1e-15;
  const minLeaf = params.minSamplesLeaf;
  const minHess = params.minHessianToSplit;
  const parentScore = nodeScore(sumGrad, sumHess, params.l2Regularization);
  // The best so far, in locals: a candidate wins when its children's scores beat bestScore.
  let bestScore = parentScore;
  let bestFeature = -1;
  let bestBin = 0;
  let bestMissingLeft = false;
  let bestGradLeft = 0;
  let bestHessLeft = 0;
  let bestCountLeft = 0;
  for (let c = 0; c < cols; c++) {
    const base = c * FEATURE_STRIDE;
    const bins = binCounts[c] ?? 1;
    const hasMissing = (hist[base + MISSING_BIN * 3 + 2] ?? 0) > 0;

    // Left to right, missing values on the right. With missing values, the last non-missing bin is
    // a candidate too: everything non-missing left, missing right.
    let gradLeft = 0;
    let hessLeft = 0;
    let countLeft = 0;
    const end = bins - 1 + (hasMissing ? 1 : 0);
    for (let b = 0; b < end; b++) {
      const o = base + b * 3;
      gradLeft += hist[o] ?? 0;
      hessLeft += hist[o + 1] ?? 0;
      countLeft += hist[o + 2] ?? 0;
      // Too few rows or too little hessian on the left: the next bin may do; on the right: none will.
      if (countLeft < minLeaf || hessLeft < minHess) continue;
      const countRight = count - countLeft;
      const hessRight = sumHess - hessLeft;
      if (countRight < minLeaf || hessRight < minHess) break;
      const gradRight = sumGrad - gradLeft;
      // score > bestScore, multiplied out by the (positive) denominators: no division per bin.
      const left = hessLeft + lambda;
      const right = hessRight + lambda;
      const scaled = gradLeft * gradLeft * right + gradRight * gradRight * left;
      if (scaled > bestScore * left * right) {
        bestScore = scaled / (left * right);
        bestFeature = c;
        bestBin = b;
        bestMissingLeft = hasMissing ? false : countLeft > countRight;
        bestGradLeft = gradLeft;
        bestHessLeft = hessLeft;
        bestCountLeft = countLeft;
      }
    }
    if (!hasMissing) continue;

    // Right to left, missing values on the left.
    let gradRight = 0;
    let hessRight = 0;
    let countRight = 0;
    for (let b = bins - 2; b >= 0; b--) {
      const o = base + (b + 1) * 3;
      gradRight += hist[o] ?? 0;
      hessRight += hist[o + 1] ?? 0;
      countRight += hist[o + 2] ?? 0;
      if (countRight < minLeaf || hessRight < minHess) continue;
      const countLeftSide = count - countRight;
      const hessLeftSide = sumHess - hessRight;
      if (countLeftSide < minLeaf || hessLeftSide < minHess) break;
      const gradLeftSide = sumGrad - gradRight;
      const left = hessLeftSide + lambda;
      const right = hessRight + lambda;
      const scaled = gradLeftSide * gradLeftSide * right + gradRight * gradRight * left;
      if (scaled > bestScore * left * right) {
        bestScore = scaled / (left * right);
        bestFeature = c;
        bestBin = b;
        bestMissingLeft = true;
        bestGradLeft = gradLeftSide;
        bestHessLeft = hessLeftSide;
        bestCountLeft = countLeftSide;
      }
    }
  }
  best.feature = bestFeature;
  best.bin = bestBin;
  best.missingLeft = bestMissingLeft;
  best.gain = bestScore - parentScore;
  best.gradLeft = bestGradLeft;
  best.hessLeft = bestHessLeft;
  best.countLeft = bestCountLeft;
}
