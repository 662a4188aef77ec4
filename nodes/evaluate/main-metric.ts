/** The one number the run history shows for a run. Pure. */

export interface MainMetric {
  name: string;
  value: number;
}

/** A run's evaluate step as the run history reads it back. */
export interface StoredEvaluation {
  /** The step's output summary: `{ metrics: { accuracy: 0.93, … }, … }`. */
  summary: unknown;
  /**
   * The metric the node's first gate names, in the version the run ran: a name, a parameter
   * reference `{ "$param": "metric" }`, or null without gates.
   */
  gatedMetric: unknown;
  /** The parameter values the run was started with: `{ metric: "f1" }`. */
  parameters?: unknown;
  /** The version's parameter declarations, whose defaults fill the values the run was not given. */
  declaredParameters?: unknown;
}

/**
 * The metric the pipeline's author gates on first, else accuracy (classification), else R²
 * (regression), from the first evaluate step that has it; null when no evaluate step finished.
 */
export function mainMetric(evaluations: readonly StoredEvaluation[]): MainMetric | null {
  for (const evaluation of evaluations) {
    const metrics = numericMetrics(evaluation.summary);
    const gated = gatedName(evaluation);
    for (const name of [...gated, 'accuracy', 'r2']) {
      const value = metrics.get(name);
      if (value !== undefined) return { name, value };
    }
  }
  return null;
}

/** The name the first gate measures, with a parameter reference resolved as the run resolved it. */
function gatedName(evaluation: StoredEvaluation): string[] {
  const { gatedMetric } = evaluation;
  if (typeof gatedMetric === 'string') return [gatedMetric];
  const parameter = parameterName(gatedMetric);
  if (parameter === undefined) return [];
  const value = ownValue(evaluation.parameters, parameter) ?? declaredDefault(evaluation, parameter);
  return typeof value === 'string' ? [value] : [];
}

/** The name in `{ "$param": name }`. */
function parameterName(value: unknown): string | undefined {
  const name = ownValue(value, '$param');
  return typeof name === 'string' ? name : undefined;
}

/** The default of the declared parameter with this name. */
function declaredDefault(evaluation: StoredEvaluation, name: string): unknown {
  if (!Array.isArray(evaluation.declaredParameters)) return undefined;
  const declared = evaluation.declaredParameters.find((item) => ownValue(item, 'name') === name);
  return ownValue(declared, 'default');
}

/** A stored record's own field, never one inherited (a parameter may be named `constructor`). */
function ownValue(record: unknown, key: string): unknown {
  if (typeof record !== 'object' || record === null || !Object.hasOwn(record, key)) return undefined;
  return Object.entries(record).find(([name]) => name === key)?.[1];
}

/** The summary's numeric metrics, in a Map: a gate may name any metric, `constructor` included. */
export function numericMetrics(summary: unknown): Map<string, number> {
  if (typeof summary !== 'object' || summary === null || !('metrics' in summary)) return new Map();
  const { metrics } = summary;
  if (typeof metrics !== 'object' || metrics === null) return new Map();
  return new Map(
    Object.entries(metrics).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
  );
}
