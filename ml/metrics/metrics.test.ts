import { describe, expect, it } from 'vitest';
import {
  accuracy,
  confusionMatrix,
  logLoss,
  macroAverage,
  perClassScores,
  rocAuc,
  rocAucOvr,
  weightedAverage,
} from './classification';
import { precisionRecallCurve, rocCurve, trapezoidArea } from './curves';
import { mae, mape, r2, rmse } from './regression';

// Expected figures are scikit-learn 1.9's on the same inputs.
const yTrue = [0, 1, 1, 0, 1, 1, 0, 0, 1, 0];
const scores = [0.1, 0.9, 0.35, 0.4, 0.8, 0.65, 0.2, 0.7, 0.5, 0.3];
const yPred = scores.map((score) => (score >= 0.5 ? 1 : 0));

const yTrue3 = [0, 1, 2, 2, 1, 0, 2, 1, 0, 2];
const proba3 = [
  0.7, 0.2, 0.1, 0.1, 0.6, 0.3, 0.2, 0.2, 0.6, 0.1, 0.5, 0.4, 0.3, 0.4, 0.3, 0.5, 0.3, 0.2, 0.1, 0.1, 0.8,
  0.6, 0.3, 0.1, 0.4, 0.4, 0.2, 0.2, 0.3, 0.5,
];
const yPred3 = [0, 1, 2, 1, 1, 0, 2, 0, 0, 2];

describe('classification metrics', () => {
  it('binary: confusion matrix, accuracy, precision, recall, F1, ROC AUC and log loss', () => {
    const matrix = confusionMatrix(yTrue, yPred, 2);
    expect(matrix).toEqual([
      [4, 1],
      [1, 4],
    ]);
    expect(accuracy(yTrue, yPred)).toBe(0.8);
    const scoresPerClass = perClassScores(matrix);
    expect(scoresPerClass.precision[1]).toBeCloseTo(0.8, 12);
    expect(scoresPerClass.recall[1]).toBeCloseTo(0.8, 12);
    expect(scoresPerClass.f1[1]).toBeCloseTo(0.8, 12);
    expect(rocAuc(yTrue, scores)).toBeCloseTo(0.84, 12);
    const binaryProba = scores.flatMap((score) => [1 - score, score]);
    expect(logLoss(yTrue, binaryProba, 2)).toBeCloseTo(0.4902233727125808, 12);
  });

  it('multiclass: macro and weighted averages, one-vs-rest ROC AUC and log loss', () => {
    const scoresPerClass = perClassScores(confusionMatrix(yTrue3, yPred3, 3));
    expect(accuracy(yTrue3, yPred3)).toBe(0.8);
    expect(macroAverage(scoresPerClass.precision)).toBeCloseTo(0.8055555555555555, 12);
    expect(macroAverage(scoresPerClass.recall)).toBeCloseTo(0.8055555555555555, 12);
    expect(macroAverage(scoresPerClass.f1)).toBeCloseTo(0.7936507936507936, 12);
    expect(weightedAverage(scoresPerClass.precision, scoresPerClass.support)).toBeCloseTo(0.825, 12);
    expect(weightedAverage(scoresPerClass.f1, scoresPerClass.support)).toBeCloseTo(0.8, 12);
    expect(rocAucOvr(yTrue3, proba3, 3)).toBeCloseTo(0.8968253968253969, 12);
    expect(logLoss(yTrue3, proba3, 3)).toBeCloseTo(0.6940609103853215, 12);
  });

  it('counts tied scores half in ROC AUC, and has none when one class is missing', () => {
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    expect(rocAuc([1, 1], [0.2, 0.9])).toBeNaN();
  });
});

describe('curves', () => {
  it('ROC points run from (0,0) to (1,1) and their area is the ROC AUC', () => {
    const points = rocCurve(yTrue, scores);
    expect(points[0]).toEqual({ fpr: 0, tpr: 0, threshold: Number.POSITIVE_INFINITY });
    expect(points.at(-1)).toMatchObject({ fpr: 1, tpr: 1, threshold: 0.1 });
    expect(trapezoidArea(points.map((point) => ({ x: point.fpr, y: point.tpr })))).toBeCloseTo(0.84, 12);
  });

  it('precision-recall points match scikit-learn at each threshold', () => {
    const points = precisionRecallCurve(yTrue, scores);
    expect(points.find((point) => point.threshold === 0.5)).toEqual({
      precision: 0.8,
      recall: 0.8,
      threshold: 0.5,
    });
    expect(points.find((point) => point.threshold === 0.35)).toEqual({
      precision: 5 / 7,
      recall: 1,
      threshold: 0.35,
    });
    expect(points[0]).toEqual({ precision: 1, recall: 0.2, threshold: 0.9 });
  });
});

describe('regression metrics', () => {
  const y = [3.0, -0.5, 2.0, 7.0, 4.2];
  const predicted = [2.5, 0.0, 2.1, 7.8, 3.9];
  it('RMSE, MAE, R² and MAPE', () => {
    expect(rmse(y, predicted)).toBeCloseTo(0.49799598391954925, 12);
    expect(mae(y, predicted)).toBeCloseTo(0.44, 12);
    expect(r2(y, predicted)).toBeCloseTo(0.9594665271966527, 12);
    expect(mape(y, predicted)).toBeCloseTo(0.2804761904761905, 12);
  });
});
