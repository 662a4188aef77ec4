/** The one number the run history shows for a run. Pure. */

export interface MainMetric {
  name: string;
  value: number;
}

/** A run's evaluate step as the run history reads it back. */
export interface StoredEvaluation {
  /** The step's output summary: `{ metrics: { accuracy: 0.93, … }, … }`. */
  summary: unknown;
  /** The metric the node's first gate names, in the version the run ran; null without gates. */
  gatedMetric: unknown;
}

/**
 * The metric the pipeline's author gates on first, else accuracy (classification), else R²
 * (regression), from the first evaluate step that has it; null when no evaluate step finished.
 */
export function mainMetric(evaluations: readonly StoredEvaluation[]): MainMetric | null {
  for (const evaluation of evaluations) {
    const metrics = numericMetrics(evaluation.summary);
    const gated = typeof evaluation.gatedMetric === 'string' ? [evaluation.gatedMetric] : [];
    for (const name of [...gated, 'accuracy', 'r2']) {
      const value = metrics.get(name);
      if (value !== undefined) return { name, value };
    }
  }
  return null;
}

/** The summary's numeric metrics, in a Map: a gate may name any metric, `constructor` included. */
function numericMetrics(summary: unknown): Map<string, number> {
  if (typeof summary !== 'object' || summary === null || !('metrics' in summary)) return new Map();
  const { metrics } = summary;
  if (typeof metrics !== 'object' || metrics === null) return new Map();
  return new Map(
    Object.entries(metrics).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
  );
}
