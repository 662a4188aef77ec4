import { conditionColumns } from '../_data/condition';
import type { LabelledWindow, MonitoredVersion, VersionSlice } from '../_kit/monitoring-port';
import { labelledPairs, pairMetrics } from './performance';
import type { Performance } from './report-schema';
import { sliceColumns } from './slice-columns';
import { conditionMask, SliceConditionError } from './slice-condition';

type SliceFigures = Performance['slices'][number];

/**
 * Each slice of the evaluate step measured on the labelled predictions it holds, with their count.
 * A slice that cannot be measured on the log (its column is not a model input, or a transform the
 * monitor cannot replay made it) is listed with a note saying why, never dropped silently.
 */
export async function slicePerformance(
  window: LabelledWindow,
  version: Pick<MonitoredVersion, 'signature' | 'transforms'>,
  slices: readonly VersionSlice[],
): Promise<SliceFigures[]> {
  if (slices.length === 0) return [];
  const names = slices.flatMap((slice) => conditionColumns(slice.condition));
  const { columns, unavailable } = await sliceColumns(names, window, version);
  return slices.map((slice): SliceFigures => {
    const blocked = conditionColumns(slice.condition).find((name) => unavailable.has(name));
    if (blocked !== undefined)
      return notMeasured(slice, `column "${blocked}" ${unavailable.get(blocked) ?? 'cannot be read'}`);
    let mask: Uint8Array;
    try {
      mask = conditionMask(slice.condition, columns, window.rows);
    } catch (error) {
      if (error instanceof SliceConditionError) return notMeasured(slice, error.message);
      throw error;
    }
    const pairs = labelledPairs(selectRows(window, mask), version);
    return {
      name: slice.name,
      labelled: pairs.truth.length,
      metrics: pairs.truth.length > 0 ? pairMetrics(pairs) : {},
    };
  });
}

function notMeasured(slice: VersionSlice, why: string): SliceFigures {
  return { name: slice.name, labelled: 0, metrics: {}, note: `Not measured: ${why}.` };
}

/** The window's answers and true answers of the rows the mask keeps. */
function selectRows(window: LabelledWindow, mask: Uint8Array): Pick<LabelledWindow, 'predictions' | 'truth'> {
  const keep = (_: unknown, row: number) => mask[row] === 1;
  const pick = (answers: LabelledWindow['predictions']): LabelledWindow['predictions'] =>
    answers.task === 'classification'
      ? { task: 'classification', labels: answers.labels.filter(keep) }
      : { task: 'regression', values: answers.values.filter(keep) };
  return { predictions: pick(window.predictions), truth: pick(window.truth) };
}
