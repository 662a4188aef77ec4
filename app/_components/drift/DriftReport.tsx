'use client';

import type { FeatureDrift } from '../../../ml/drift/drift-schemas';
import type { FeatureCheck, DriftReport as Report } from '../../../nodes/monitor-drift/report-schema';
import { formatCount, formatNumber } from '../format';
import { DriftStateBadge } from './DriftStateBadge';
import './drift.css';

/**
 * What a drift check found, in a step's details: the verdict, what was compared, each feature's
 * statistics against its thresholds, and the model's own figures (volume, latency, answers).
 */
export function DriftReport({ report }: { report: Report }) {
  return (
    <div className="drift-report">
      <Verdict report={report} />
      <FeatureTable features={report.features} />
      {report.modelStats && <ModelFacts stats={report.modelStats} />}
      <AlertChanges alerts={report.alerts} />
    </div>
  );
}

function Verdict({ report }: { report: Report }) {
  const { dataset, reference, current } = report;
  const window = current.window
    ? `logged predictions from ${new Date(current.window.from).toLocaleString()} to ${new Date(current.window.to).toLocaleString()}`
    : 'the Current dataset';
  return (
    <p className="drift-verdict">
      <DriftStateBadge state={report.state} /> {report.model} v{report.version}:{' '}
      <strong>
        {dataset.driftedFeatures} of {dataset.features} features drifted
      </strong>
      {dataset.drifted ? ' (the inputs as a whole have drifted)' : ''}. Compared {formatCount(current.rows)}{' '}
      rows of {window} with {formatCount(reference.rows)} reference rows (
      {reference.source === 'registry' ? 'kept at registration' : 'the Reference dataset'}).
    </p>
  );
}

function FeatureTable({ features }: { features: FeatureCheck[] }) {
  return (
    <table className="summary-table drift-features">
      <caption className="drift-caption">Per feature, in the model’s input order</caption>
      <thead>
        <tr>
          <th scope="col">Feature</th>
          <th scope="col">State</th>
          <th scope="col" className="number">
            PSI
          </th>
          <th scope="col">Test</th>
          <th scope="col" className="number">
            Missing
          </th>
        </tr>
      </thead>
      <tbody>
        {features.map((feature) => (
          <tr key={feature.feature}>
            <th scope="row">{feature.feature}</th>
            <td>
              <DriftStateBadge state={feature.state} />
            </td>
            <td
              className="number"
              title={`warn at ${formatNumber(feature.thresholds.psiWarn)}, alert at ${formatNumber(feature.thresholds.psiAlert)}`}
            >
              {formatNumber(feature.psi)}
            </td>
            <td>{testText(feature)}</td>
            <td className="number">{missingText(feature)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** KS for numbers, chi-square for categories, each with its p-value. */
function testText(feature: FeatureDrift): string {
  if (feature.kind === 'numeric') {
    if (!feature.ks) return '–';
    return `KS D ${formatNumber(feature.ks.statistic)}, p ${formatNumber(feature.ks.pValue)}`;
  }
  if (!feature.chiSquare) return '–';
  return `χ² ${formatNumber(feature.chiSquare.statistic)}, p ${formatNumber(feature.chiSquare.pValue)}`;
}

function missingText(feature: FeatureDrift): string {
  const { reference, current } = feature.missing;
  if (reference === 0 && current === 0) return 'none';
  return `${percent(reference)} → ${percent(current)}`;
}

function percent(share: number): string {
  return `${formatNumber(share * 100, true)} %`;
}

function ModelFacts({ stats }: { stats: NonNullable<Report['modelStats']> }) {
  const latency = stats.latencyMs;
  const predictionDrift = stats.prediction?.drift;
  return (
    <p className="summary-facts">
      {formatCount(stats.volume.predictions)} predictions
      {stats.volume.perHour !== null ? ` (${formatNumber(stats.volume.perHour, true)} an hour)` : ''}
      {latency
        ? `; latency p50 ${formatNumber(latency.p50, true)} ms, p95 ${formatNumber(latency.p95, true)} ms, p99 ${formatNumber(latency.p99, true)} ms`
        : ''}
      {predictionDrift ? `; answers against the window before: ${predictionDrift.state}` : ''}.
    </p>
  );
}

function AlertChanges({ alerts }: { alerts: Report['alerts'] }) {
  const parts = [
    alerts.opened.length > 0 ? `opened on ${names(alerts.opened)}` : null,
    alerts.kept.length > 0 ? `still open on ${names(alerts.kept)}` : null,
    alerts.closed.length > 0 ? `closed on ${names(alerts.closed)}` : null,
  ].filter((part) => part !== null);
  return <p className="summary-facts">Alerts: {parts.length === 0 ? 'none' : parts.join('; ')}.</p>;
}

function names(changes: { subject: string }[]): string {
  return changes.map((change) => change.subject).join(', ');
}
