'use client';

import type { FeatureDrift } from '../../../ml/drift/drift-schemas';
import type { FeatureCheck, DriftReport as Report } from '../../../nodes/monitor-drift/report-schema';
import { formatCount, formatNumber } from '../format';
import { metricLabel } from '../report/metrics';
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
      {report.performance && <PerformanceTable performance={report.performance} />}
      {report.performance && report.performance.slices.length > 0 && (
        <SliceTable performance={report.performance} />
      )}
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
  const missing = features.filter((feature) => feature.missing.change !== 0);
  return (
    <>
      <table className="summary-table drift-features">
        <caption className="drift-caption">Per feature, in the model’s input order</caption>
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col">State</th>
            <th scope="col" className="number">
              PSI
            </th>
            <th
              scope="col"
              className="number"
              title="Kolmogorov–Smirnov for numbers, chi-square for categories"
            >
              p-value
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
                {formatNumber(feature.psi, true)}
              </td>
              <td className="number" title={testText(feature)}>
                {formatNumber(pValue(feature), true)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {missing.length > 0 && (
        <p className="summary-facts">
          Missing values changed:{' '}
          {missing.map((feature) => `${feature.feature} ${missingText(feature)}`).join(', ')}.
        </p>
      )}
    </>
  );
}

/** KS for numbers, chi-square for categories: the statistic, for the p-value's tooltip. */
function testText(feature: FeatureDrift): string {
  if (feature.kind === 'numeric')
    return feature.ks
      ? `Kolmogorov–Smirnov D ${formatNumber(feature.ks.statistic)}`
      : 'no test: a side has no values';
  return feature.chiSquare
    ? `chi-square ${formatNumber(feature.chiSquare.statistic)} on ${feature.chiSquare.degreesOfFreedom} degrees of freedom`
    : 'no test: a side has no values';
}

function pValue(feature: FeatureDrift): number | null {
  if (feature.kind === 'numeric') return feature.ks?.pValue ?? null;
  return feature.chiSquare?.pValue ?? null;
}

function missingText(feature: FeatureDrift): string {
  const { reference, current } = feature.missing;
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

/** Each watched metric on the labelled predictions against the version's test figure. */
function PerformanceTable({ performance }: { performance: NonNullable<Report['performance']> }) {
  if (performance.labelled === 0)
    return (
      <p className="summary-facts">
        No prediction in the window has feedback yet: performance is not measured.
      </p>
    );
  return (
    <table className="summary-table drift-performance">
      <caption className="drift-caption">
        Performance on {formatCount(performance.labelled)} predictions with feedback
      </caption>
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col">State</th>
          <th scope="col" className="number">
            Now
          </th>
          <th scope="col" className="number">
            Test
          </th>
          <th scope="col" className="number">
            Threshold
          </th>
        </tr>
      </thead>
      <tbody>
        {performance.checks.map((check) => (
          <tr key={check.metric}>
            <th scope="row">{metricLabel(check.metric)}</th>
            <td>
              <DriftStateBadge state={check.state} />
            </td>
            <td className="number">{formatNumber(check.value)}</td>
            <td className="number">{formatNumber(check.test)}</td>
            <td className="number">{formatNumber(check.threshold)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The evaluate step's slices, each on its own labelled predictions: measured, not judged. */
function SliceTable({ performance }: { performance: NonNullable<Report['performance']> }) {
  const metrics = performance.checks.map((check) => check.metric);
  return (
    <table className="summary-table drift-slices">
      <caption className="drift-caption">
        Per slice (the evaluate step's slices; measured, not judged)
      </caption>
      <thead>
        <tr>
          <th scope="col">Slice</th>
          <th scope="col" className="number">
            Labelled
          </th>
          {metrics.map((metric) => (
            <th key={metric} scope="col" className="number">
              {metricLabel(metric)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {performance.slices.map((slice) => (
          <tr key={slice.name}>
            <th scope="row">{slice.name}</th>
            {slice.note ? (
              <td colSpan={metrics.length + 1} className="muted">
                {slice.note}
              </td>
            ) : (
              <>
                <td className="number">{formatCount(slice.labelled)}</td>
                {metrics.map((metric) => (
                  <td key={metric} className="number">
                    {formatNumber(slice.metrics[metric] ?? null)}
                  </td>
                ))}
              </>
            )}
          </tr>
        ))}
      </tbody>
    </table>
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
