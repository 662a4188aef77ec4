/**
 * The comparison table as rows: one per parameter, version fact, step status and duration, and
 * metric, with a value per run. Which rows differ and which value of a metric is best. Pure.
 */

import { lowerIsBetter, metricLabel } from '../report/metrics';

/** How many runs one comparison holds (the procedure and the page): more than ten no longer read side by side. */
export const COMPARE_MIN = 2;
export const COMPARE_MAX = 10;

/** A run as runCompare.compare returns it, as far as the table needs it. */
export interface ComparedRun {
  pipelineName: string;
  version: number;
  trigger: string;
  durationMs: number | null;
  parameters: { name: string; value: unknown }[];
  steps: { nodeId: string; nodeType: string; status: string; attempt: number; durationMs: number | null }[];
  metrics: { step: string; name: string; value: number }[];
}

export const compareSections = ['version', 'parameters', 'steps', 'metrics'] as const;
export type CompareSection = (typeof compareSections)[number];

export const sectionTitles: Record<CompareSection, string> = {
  version: 'Pipeline and version',
  parameters: 'Parameters',
  steps: 'Steps',
  metrics: 'Metrics',
};

export type CellValue = string | number | null;

export interface CompareRow {
  section: CompareSection;
  /** Unique across the table. */
  key: string;
  label: string;
  /** One per run, in the runs' order; null where the run has none. */
  values: CellValue[];
  /** How the values read: durations as seconds, metrics and numbers as numbers, the rest as text. */
  kind: 'text' | 'duration' | 'metric';
  /** For a metric row: the metric's name, which says whether higher or lower is better. */
  metric?: string;
}

/** A parameter value as one line of text: strings as they are, anything else as JSON. */
export function parameterText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value) ?? String(value);
}

/** Keys in the order they first appear across the runs, so the table follows the pipelines' order. */
function unionInOrder<T>(lists: T[][], keyOf: (item: T) => string): string[] {
  const seen = new Set<string>();
  for (const list of lists) for (const item of list) seen.add(keyOf(item));
  return [...seen];
}

/** The table's rows for these runs, section by section. */
export function compareRows(runs: readonly ComparedRun[]): CompareRow[] {
  const rows: CompareRow[] = [
    {
      section: 'version',
      key: 'pipeline',
      label: 'Pipeline',
      kind: 'text',
      values: runs.map((run) => run.pipelineName),
    },
    {
      section: 'version',
      key: 'version',
      label: 'Version',
      kind: 'text',
      values: runs.map((run) => `v${run.version}`),
    },
    {
      section: 'version',
      key: 'trigger',
      label: 'Trigger',
      kind: 'text',
      values: runs.map((run) => run.trigger),
    },
    {
      section: 'version',
      key: 'duration',
      label: 'Duration',
      kind: 'duration',
      values: runs.map((run) => run.durationMs),
    },
  ];

  const parameterNames = unionInOrder(
    runs.map((run) => run.parameters),
    (parameter) => parameter.name,
  ).sort();
  for (const name of parameterNames) {
    rows.push({
      section: 'parameters',
      key: `parameter:${name}`,
      label: name,
      kind: 'text',
      values: runs.map((run) => {
        const parameter = run.parameters.find((candidate) => candidate.name === name);
        return parameter ? parameterText(parameter.value) : null;
      }),
    });
  }

  for (const nodeId of unionInOrder(
    runs.map((run) => run.steps),
    (step) => step.nodeId,
  )) {
    const stepOf = (run: ComparedRun) => run.steps.find((step) => step.nodeId === nodeId);
    rows.push(
      {
        section: 'steps',
        key: `step:${nodeId}:status`,
        label: `${nodeId} status`,
        kind: 'text',
        values: runs.map((run) => {
          const step = stepOf(run);
          if (!step) return null;
          return step.attempt > 1 ? `${step.status} (${step.attempt} attempts)` : step.status;
        }),
      },
      {
        section: 'steps',
        key: `step:${nodeId}:duration`,
        label: `${nodeId} duration`,
        kind: 'duration',
        values: runs.map((run) => stepOf(run)?.durationMs ?? null),
      },
    );
  }

  const metricKey = (metric: { step: string; name: string }) => `${metric.step}\u0000${metric.name}`;
  const metricKeys = unionInOrder(
    runs.map((run) => run.metrics),
    metricKey,
  );
  // The evaluate step's id is only worth reading when there is more than one.
  const evaluateSteps = new Set(runs.flatMap((run) => run.metrics.map((metric) => metric.step)));
  for (const key of metricKeys) {
    const [step = '', name = ''] = key.split('\u0000');
    rows.push({
      section: 'metrics',
      key: `metric:${step}:${name}`,
      label: evaluateSteps.size > 1 ? `${metricLabel(name)} (${step})` : metricLabel(name),
      kind: 'metric',
      metric: name,
      values: runs.map(
        (run) => run.metrics.find((metric) => metric.step === step && metric.name === name)?.value ?? null,
      ),
    });
  }
  return rows;
}

/** Whether every run has the same value in this row (none counts as a value: "—" against 3 differs). */
export function sameAcross(values: readonly CellValue[]): boolean {
  return values.every((value) => Object.is(value, values[0]));
}

/** The rows the "only differences" switch keeps: those where some run differs from the others. */
export function onlyDifferences(rows: readonly CompareRow[]): CompareRow[] {
  return rows.filter((row) => !sameAcross(row.values));
}

/**
 * The columns holding the best value of a metric: the highest, or the lowest for error metrics
 * (RMSE, MAE, MAPE, log loss). Ties are all best; none when fewer than two runs have the metric
 * or when they all have the same value, since nothing then stands out.
 */
export function bestColumns(metric: string, values: readonly CellValue[]): number[] {
  const numbers = values.flatMap((value, index) =>
    typeof value === 'number' && Number.isFinite(value) ? [{ value, index }] : [],
  );
  if (numbers.length < 2) return [];
  const pick = lowerIsBetter(metric) ? Math.min : Math.max;
  const best = pick(...numbers.map((entry) => entry.value));
  const winners = numbers.filter((entry) => entry.value === best).map((entry) => entry.index);
  return winners.length === numbers.length ? [] : winners;
}
