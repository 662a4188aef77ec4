import type { RunHistoryFilters } from '../../db/queries/run-history';
import { type RunStatus, type RunTrigger, runStatuses, runTriggers } from '../../db/schema';

/**
 * The Runs page's filters bar as the person fills it in, and the filters history.list receives. Pure.
 */

export const timeRanges = {
  any: { label: 'Any time', hours: undefined },
  day: { label: 'Last 24 hours', hours: 24 },
  week: { label: 'Last 7 days', hours: 7 * 24 },
  month: { label: 'Last 30 days', hours: 30 * 24 },
  quarter: { label: 'Last 90 days', hours: 90 * 24 },
  custom: { label: 'Between…', hours: undefined },
} as const satisfies Record<string, { label: string; hours: number | undefined }>;

export type TimeRange = keyof typeof timeRanges;

/** How a trigger reads in the filter and the table. */
export const triggerLabels: Record<RunTrigger, string> = {
  manual: 'Manual',
  schedule: 'Schedule',
  api: 'API',
  monitor: 'Monitor',
};

export interface FilterForm {
  pipelineId: string;
  status: RunStatus | '';
  trigger: RunTrigger | '';
  range: TimeRange;
  /**
   * When the range was chosen: "last 7 days" counts back from then, not from each render, so the
   * query (keyed on its input) stays the same while the person scrolls.
   */
  rangeChosenAt: number;
  /** The custom range's ends, as a datetime-local input holds them (local time). */
  customFrom: string;
  customTo: string;
  comparison: '' | 'above' | 'below';
  /** The metric threshold as typed. */
  threshold: string;
}

export const emptyForm: FilterForm = {
  pipelineId: '',
  status: '',
  trigger: '',
  range: 'any',
  rangeChosenAt: 0,
  customFrom: '',
  customTo: '',
  comparison: '',
  threshold: '',
};

export function isFiltered(form: FilterForm): boolean {
  return (
    form.pipelineId !== '' ||
    form.status !== '' ||
    form.trigger !== '' ||
    form.range !== 'any' ||
    form.comparison !== ''
  );
}

export function statusOf(value: string): RunStatus | '' {
  return runStatuses.find((status) => status === value) ?? '';
}

export function triggerOf(value: string): RunTrigger | '' {
  return runTriggers.find((trigger) => trigger === value) ?? '';
}

export function rangeOf(value: string): TimeRange {
  return Object.keys(timeRanges).find((range): range is TimeRange => range === value) ?? 'any';
}

export function comparisonOf(value: string): FilterForm['comparison'] {
  return value === 'above' || value === 'below' ? value : '';
}

/**
 * The filters for history.list, or the sentence saying which field is not yet usable (then the page
 * keeps showing the last valid answer instead of refusing).
 */
export function filtersOf(form: FilterForm): { filters: RunHistoryFilters; problem?: string } {
  const filters: RunHistoryFilters = {
    pipelineId: form.pipelineId || undefined,
    status: form.status || undefined,
    trigger: form.trigger || undefined,
  };
  const hours = timeRanges[form.range].hours;
  if (hours !== undefined) filters.from = new Date(form.rangeChosenAt - hours * 3_600_000);
  if (form.range === 'custom') {
    const from = localTime(form.customFrom);
    const to = localTime(form.customTo);
    if (from === null) return { filters, problem: 'The start of the range is not a date and time.' };
    if (to === null) return { filters, problem: 'The end of the range is not a date and time.' };
    if (from && to && from >= to) return { filters, problem: 'The range must start before it ends.' };
    filters.from = from;
    filters.to = to;
  }
  if (form.comparison !== '') {
    const value = form.threshold.trim() === '' ? Number.NaN : Number(form.threshold);
    if (!Number.isFinite(value))
      return { filters, problem: 'The metric threshold must be a number, e.g. 0.9.' };
    filters.metric = { comparison: form.comparison, value };
  }
  return { filters };
}

/** A datetime-local value as a Date; undefined when empty, null when it is not a time. */
function localTime(text: string): Date | undefined | null {
  if (text === '') return undefined;
  const time = new Date(text);
  return Number.isNaN(time.getTime()) ? null : time;
}
