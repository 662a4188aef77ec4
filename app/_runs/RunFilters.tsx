'use client';

import { useQuery } from '@tanstack/react-query';
import { runStatuses, runTriggers } from '../../db/schema';
import { useTRPC } from '../_trpc/client';
import {
  comparisonOf,
  emptyForm,
  type FilterForm,
  isFiltered,
  rangeOf,
  statusOf,
  timeRanges,
  triggerLabels,
  triggerOf,
} from './run-filters';

/** The pipelines the filter offers: the most recently changed ones, as many as one page holds. */
const PIPELINE_CHOICES = 100;

/** The Runs page's filters bar: pipeline, status, trigger, time range and main metric threshold. */
export function RunFilters({
  form,
  onChange,
  problem,
}: {
  form: FilterForm;
  onChange: (form: FilterForm) => void;
  problem: string | undefined;
}) {
  const trpc = useTRPC();
  const pipelines = useQuery(trpc.pipelines.list.queryOptions({ limit: PIPELINE_CHOICES }));
  const set = (change: Partial<FilterForm>) => onChange({ ...form, ...change });
  return (
    <div className="run-filters">
      <div className="run-filters-row">
        <label>
          <span>Pipeline</span>
          <select
            aria-label="Pipeline"
            value={form.pipelineId}
            onChange={(event) => set({ pipelineId: event.target.value })}
          >
            <option value="">All pipelines</option>
            {pipelines.data?.items.map((pipeline) => (
              <option key={pipeline.id} value={pipeline.id}>
                {pipeline.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Status</span>
          <select
            aria-label="Status"
            value={form.status}
            onChange={(event) => set({ status: statusOf(event.target.value) })}
          >
            <option value="">Any status</option>
            {runStatuses.map((status) => (
              <option key={status} value={status}>
                {status.charAt(0).toUpperCase() + status.slice(1)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Trigger</span>
          <select
            aria-label="Trigger"
            value={form.trigger}
            onChange={(event) => set({ trigger: triggerOf(event.target.value) })}
          >
            <option value="">Any trigger</option>
            {runTriggers.map((trigger) => (
              <option key={trigger} value={trigger}>
                {triggerLabels[trigger]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Started</span>
          <select
            aria-label="Started"
            value={form.range}
            onChange={(event) => set({ range: rangeOf(event.target.value), rangeChosenAt: Date.now() })}
          >
            {Object.entries(timeRanges).map(([range, { label }]) => (
              <option key={range} value={range}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {form.range === 'custom' && (
          <>
            <label>
              <span>From</span>
              <input
                type="datetime-local"
                aria-label="From"
                value={form.customFrom}
                onChange={(event) => set({ customFrom: event.target.value })}
              />
            </label>
            <label>
              <span>To</span>
              <input
                type="datetime-local"
                aria-label="To"
                value={form.customTo}
                onChange={(event) => set({ customTo: event.target.value })}
              />
            </label>
          </>
        )}
        <label>
          <span>Main metric</span>
          <span className="run-filters-metric">
            <select
              aria-label="Main metric comparison"
              value={form.comparison}
              onChange={(event) => set({ comparison: comparisonOf(event.target.value) })}
            >
              <option value="">Any value</option>
              <option value="above">Above</option>
              <option value="below">Below</option>
            </select>
            {form.comparison !== '' && (
              <input
                type="number"
                step="any"
                inputMode="decimal"
                placeholder="0.9"
                aria-label="Main metric threshold"
                value={form.threshold}
                onChange={(event) => set({ threshold: event.target.value })}
              />
            )}
          </span>
        </label>
        {isFiltered(form) && (
          <button type="button" className="link-button run-filters-clear" onClick={() => onChange(emptyForm)}>
            Clear filters
          </button>
        )}
      </div>
      {problem && <p className="error-text">{problem}</p>}
    </div>
  );
}
