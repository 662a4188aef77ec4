'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useTRPC } from '../../_trpc/client';
import { formatNumber, formatSeconds } from '../format';
import {
  bestColumns,
  type CellValue,
  COMPARE_MAX,
  COMPARE_MIN,
  type CompareRow,
  compareRows,
  compareSections,
  onlyDifferences,
  sameAcross,
  sectionTitles,
} from './compare-rows';
import './compare.css';

/** Why these ids cannot be compared, in words; undefined when they can. */
export function idsProblem(ids: readonly string[]): string | undefined {
  if (ids.length < COMPARE_MIN) return `Pick at least ${COMPARE_MIN} runs to compare.`;
  if (ids.length > COMPARE_MAX) return `Compare at most ${COMPARE_MAX} runs at once.`;
  return undefined;
}

function cellText(row: CompareRow, value: CellValue): string {
  if (value === null) return '—';
  if (row.kind === 'duration' && typeof value === 'number') return formatSeconds(value / 1000);
  if (typeof value === 'number') return formatNumber(value);
  return value;
}

/**
 * 2 to 10 runs side by side, a column each: pipeline and version, parameters, each step's status and
 * duration, and metrics, with the best value of each metric marked. "Only differences" hides the
 * rows where every run agrees.
 */
export function CompareRuns({ ids }: { ids: string[] }) {
  const trpc = useTRPC();
  const problem = idsProblem(ids);
  const compared = useQuery({ ...trpc.runCompare.compare.queryOptions({ runIds: ids }), enabled: !problem });
  const [differencesOnly, setDifferencesOnly] = useState(false);
  const runs = compared.data ?? [];
  const allRows = compareRows(runs);
  const rows = differencesOnly ? onlyDifferences(allRows) : allRows;
  const hidden = allRows.length - rows.length;

  return (
    <main className="list-page compare-page">
      <div className="list-head list-head-spaced">
        <div className="bar-group">
          {runs[0] && (
            <Link href={`/pipelines/${runs[0].pipelineId}/runs`} className="back-link">
              ← Run history
            </Link>
          )}
          <h1>Compare runs</h1>
        </div>
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            aria-checked={differencesOnly}
            checked={differencesOnly}
            onChange={(event) => setDifferencesOnly(event.target.checked)}
          />
          Only differences
        </label>
      </div>
      {problem && <p className="error-text">{problem}</p>}
      {compared.error && <p className="error-text">{compared.error.message}</p>}
      {compared.isPending && !problem && <p className="muted">Loading the runs…</p>}
      {runs.length > 0 && (
        <>
          <p className="muted compare-note">
            {differencesOnly
              ? hidden > 0
                ? `${hidden} row${hidden === 1 ? '' : 's'} the same in every run hidden.`
                : 'Every row differs somewhere.'
              : 'Rows that differ between runs are highlighted; the best value of each metric is marked ★.'}
          </p>
          <div className="compare-scroll">
            <table className="data-table compare-table">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">Row</span>
                  </th>
                  {runs.map((run, index) => (
                    <th scope="col" key={run.id}>
                      <div className="compare-run-head">
                        <span className="compare-run-name">Run {index + 1}</span>
                        <Link
                          href={`/pipelines/${run.pipelineId}?run=${run.id}`}
                          className={`run-badge status-${run.status}`}
                        >
                          {run.status}
                        </Link>
                        <span className="compare-run-when" title={run.id}>
                          {run.startedAt.toLocaleString()}
                        </span>
                      </div>
                    </th>
                  ))}
                </tr>
              </thead>
              {compareSections.map((section) => {
                const sectionRows = rows.filter((row) => row.section === section);
                return (
                  <tbody key={section}>
                    <tr className="compare-section">
                      <th scope="rowgroup" colSpan={runs.length + 1}>
                        {sectionTitles[section]}
                      </th>
                    </tr>
                    {sectionRows.length === 0 && (
                      <tr>
                        <td colSpan={runs.length + 1} className="muted">
                          {differencesOnly ? 'The same in every run.' : 'None.'}
                        </td>
                      </tr>
                    )}
                    {sectionRows.map((row) => (
                      <CompareTableRow key={row.key} row={row} />
                    ))}
                  </tbody>
                );
              })}
            </table>
          </div>
        </>
      )}
    </main>
  );
}

function CompareTableRow({ row }: { row: CompareRow }) {
  const best = row.metric === undefined ? [] : bestColumns(row.metric, row.values);
  const differs = !sameAcross(row.values);
  return (
    <tr className={differs ? 'compare-differs' : undefined}>
      <th scope="row">{row.label}</th>
      {row.values.map((value, index) => {
        const isBest = best.includes(index);
        return (
          <td
            // A row has one cell per run, in the runs' order, and never reorders.
            // biome-ignore lint/suspicious/noArrayIndexKey: the column is the run's position
            key={index}
            className={isBest ? 'compare-best' : undefined}
            title={typeof value === 'number' && row.kind === 'metric' ? String(value) : undefined}
          >
            {cellText(row, value)}
            {isBest && (
              <span className="compare-best-mark" title="Best value">
                {' '}
                ★<span className="visually-hidden"> best</span>
              </span>
            )}
          </td>
        );
      })}
    </tr>
  );
}
