'use client';

import { useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useState } from 'react';
import { type Choice, ChoiceSelect } from '../_components/ChoiceSelect';
import { EmptyState } from '../_components/EmptyState';
import { formatCount, formatPercent } from '../_components/format';
import type { AppRouter } from '../_server/root';
import { useTRPC } from '../_trpc/client';

type Compare = inferRouterOutputs<AppRouter>['rollout']['compare'];
type Figures = NonNullable<Compare['production']>;
type CompareWindow = Compare['window'];

const windows: Choice<CompareWindow>[] = [
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
];

function milliseconds(value: number | null): string {
  if (value === null) return '—';
  return value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(1)} ms`;
}

function quality(figures: Figures, task: Compare['task']): string {
  if (figures.labelled === 0) return 'no feedback yet';
  if (task === 'classification') return figures.accuracy === null ? '—' : formatPercent(figures.accuracy);
  return figures.meanAbsoluteError === null ? '—' : figures.meanAbsoluteError.toPrecision(4);
}

function served(figures: Figures, side: 'production' | 'staging'): string {
  if (side === 'production') return `${formatCount(figures.predictions)} answered`;
  const parts = [
    figures.canary > 0 ? `${formatCount(figures.canary)} as canary` : '',
    figures.shadow > 0 ? `${formatCount(figures.shadow)} as shadow` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/**
 * Production and staging over a chosen window: what each answered, latency p50 and p95, accuracy
 * (or mean absolute error) on the feedback so far, and how often staging's shadow answers agree
 * with production's for the same rows.
 */
export function SideBySide({ name }: { name: string }) {
  const trpc = useTRPC();
  const [span, setSpan] = useState<CompareWindow>('24h');
  const compare = useQuery(trpc.rollout.compare.queryOptions({ name, window: span }));
  const data = compare.data;
  const sides = data
    ? (['production', 'staging'] as const).flatMap((side) => {
        const figures = data[side];
        return figures ? [{ side, figures }] : [];
      })
    : [];
  const traffic = sides.some(({ figures }) => figures.predictions > 0);
  const qualityHead = data?.task === 'regression' ? 'Mean abs. error' : 'Accuracy';

  return (
    <section className="panel" aria-labelledby="side-by-side-heading">
      <div className="chart-head">
        <h2 id="side-by-side-heading">Production and staging side by side</h2>
        <label className="chart-picker">
          Window
          <ChoiceSelect value={span} choices={windows} onChoose={setSpan} />
        </label>
      </div>
      {compare.error && <p className="error-text">{compare.error.message}</p>}
      {data && !traffic && (
        <EmptyState title="No rollout traffic in this window">
          Production's answers appear here as requests arrive; staging's once the rollout is shadow or canary
          and a version is in staging. Accuracy follows as feedback is sent for the predictions.
        </EmptyState>
      )}
      {data && traffic && (
        <>
          <table className="data-table rollout-compare">
            <thead>
              <tr>
                <th scope="col">Alias</th>
                <th scope="col">Version</th>
                <th scope="col" className="numeric">
                  Requests
                </th>
                <th scope="col">Predictions</th>
                <th scope="col" className="numeric">
                  Latency p50
                </th>
                <th scope="col" className="numeric">
                  Latency p95
                </th>
                <th scope="col" className="numeric">
                  Labelled
                </th>
                <th scope="col" className="numeric">
                  {qualityHead}
                </th>
              </tr>
            </thead>
            <tbody>
              {sides.map(({ side, figures }) => (
                <tr key={side}>
                  <td>
                    <span className={`alias-badge alias-${side}`}>{side}</span>
                  </td>
                  <td>v{figures.version}</td>
                  <td className="numeric">{formatCount(figures.requests)}</td>
                  <td>{served(figures, side)}</td>
                  <td className="numeric">{milliseconds(figures.latencyP50Ms)}</td>
                  <td className="numeric">{milliseconds(figures.latencyP95Ms)}</td>
                  <td className="numeric">{formatCount(figures.labelled)}</td>
                  <td className="numeric">{quality(figures, data.task)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="rollout-agreement">
            {data.agreement && data.agreement.pairs > 0 ? (
              <>
                <strong>
                  {data.task === 'classification' && data.agreement.rate !== null
                    ? `${formatPercent(data.agreement.rate)} agreement`
                    : `Mean difference ${data.agreement.meanAbsoluteDifference?.toPrecision(4) ?? '—'}`}
                </strong>{' '}
                <span className="muted">
                  over {formatCount(data.agreement.pairs)} rows both versions answered (shadow pairs
                  {data.task === 'classification'
                    ? `; ${formatCount(data.agreement.agreeing)} with the same label`
                    : ''}
                  ).
                </span>
              </>
            ) : (
              <span className="muted">
                No shadow pairs in this window: agreement is measured when staging shadows production.
              </span>
            )}
          </p>
          <p className="muted panel-note">
            Staging's latency is its own inference, scored after production answered (shadow) or in the
            request (canary). Accuracy counts predictions with feedback; a shadow answer is judged by the
            feedback on the production answer it shadows.
          </p>
        </>
      )}
    </section>
  );
}
