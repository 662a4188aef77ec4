'use client';

import { z } from 'zod';
import { driftStateSchema } from '../../ml/drift/drift-schemas';
import { metricNames } from '../../ml/metrics/summary';
import { DriftStateBadge } from '../_components/drift/DriftStateBadge';
import { formatCount, formatNumber, formatSeconds } from '../_components/format';
import { ImportanceBars } from '../_components/report/ImportanceBars';
import { algorithmLabels, metricLabel } from '../_components/report/metrics';

/**
 * What a finished step reported about itself, drawn for people: a clean step's data-quality rules,
 * a train step's metrics and importances, the size of a dataset. Summaries of other shapes show as
 * JSON. The shapes are read with zod, so an older run's summary never breaks the panel.
 */

const metricsSchema = z.record(z.string(), z.number());

const cleanSummarySchema = z.object({
  rows: z.number(),
  columns: z.number(),
  rules: z.array(
    z.object({
      description: z.string(),
      measured: z.number(),
      passed: z.boolean(),
      action: z.enum(['fail', 'warn']),
    }),
  ),
});

const trainSummarySchema = z.object({
  algorithm: z.string(),
  task: z.string(),
  target: z.string(),
  rows: z.number(),
  features: z.number(),
  seconds: z.number(),
  metrics: metricsSchema,
  validationMetrics: metricsSchema.optional(),
  importances: z.array(z.object({ feature: z.string(), importance: z.number() })),
});

const sizeSummarySchema = z.object({ rows: z.number(), columns: z.number() });

const deploySummarySchema = z.object({
  model: z.string(),
  version: z.number(),
  alias: z.enum(['production', 'staging']).nullable(),
  decision: z.string(),
  comparison: z
    .object({
      metric: z.string(),
      margin: z.number(),
      new: z.number(),
      production: z.number(),
      productionVersion: z.number(),
    })
    .optional(),
});

const driftSummarySchema = z.object({
  model: z.string(),
  version: z.number(),
  state: driftStateSchema,
  driftedFeatures: z.number(),
  features: z.number(),
  rows: z.number(),
  referenceRows: z.number(),
  topFeatures: z.array(
    z.object({ feature: z.string(), psi: z.number().nullable(), state: driftStateSchema }),
  ),
  alerts: z.object({ opened: z.number(), kept: z.number(), closed: z.number() }),
});

export function StepSummary({ nodeType, summary }: { nodeType: string; summary: unknown }) {
  const clean = nodeType === 'clean' ? cleanSummarySchema.safeParse(summary) : undefined;
  if (clean?.success) return <CleanSummary summary={clean.data} />;
  const train = nodeType === 'train' ? trainSummarySchema.safeParse(summary) : undefined;
  if (train?.success) return <TrainSummary summary={train.data} />;
  const deploy = nodeType === 'deploy' ? deploySummarySchema.safeParse(summary) : undefined;
  if (deploy?.success) return <DeploySummary summary={deploy.data} />;
  const drift = nodeType === 'monitor.drift' ? driftSummarySchema.safeParse(summary) : undefined;
  if (drift?.success) return <DriftSummary summary={drift.data} />;
  const size = sizeSummarySchema.safeParse(summary);
  return (
    <>
      {size.success && <DatasetSize rows={size.data.rows} columns={size.data.columns} />}
      <details className="summary-raw">
        <summary>Everything the step reported</summary>
        <pre className="summary">{JSON.stringify(summary, null, 2)}</pre>
      </details>
    </>
  );
}

function DatasetSize({ rows, columns }: { rows: number; columns: number }) {
  return (
    <p className="summary-facts">
      {formatCount(rows)} rows × {formatCount(columns)} columns
    </p>
  );
}

function CleanSummary({ summary }: { summary: z.infer<typeof cleanSummarySchema> }) {
  return (
    <>
      <DatasetSize rows={summary.rows} columns={summary.columns} />
      <h4 className="summary-heading">Data-quality rules</h4>
      {summary.rules.length === 0 ? (
        <p className="muted">No rules: add some under the step’s settings.</p>
      ) : (
        <table className="summary-table">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Measured</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {summary.rules.map((rule) => (
              <tr key={rule.description}>
                <td>{rule.description}</td>
                <td className="number">{formatNumber(rule.measured)}</td>
                <td>
                  <span
                    className={`rule-result ${rule.passed ? 'passed' : rule.action === 'warn' ? 'warned' : 'failed'}`}
                  >
                    {rule.passed ? 'passed' : rule.action === 'warn' ? 'warning' : 'failed'}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function TrainSummary({ summary }: { summary: z.infer<typeof trainSummarySchema> }) {
  // In the usual order (accuracy, precision, recall, f1, …), whatever order the step stored them in.
  const rank = (name: string) => {
    const index = metricNames.findIndex((known) => known === name);
    return index < 0 ? metricNames.length : index;
  };
  const names = Object.keys(summary.metrics).sort((a, b) => rank(a) - rank(b));
  return (
    <>
      <p className="summary-facts">
        {algorithmLabels[summary.algorithm] ?? summary.algorithm} ({summary.task}) predicting{' '}
        <strong>{summary.target}</strong> from {formatCount(summary.features)} features,{' '}
        {formatCount(summary.rows)} training rows, fitted in {formatSeconds(summary.seconds)}.
      </p>
      <table className="summary-table">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col">Training</th>
            {summary.validationMetrics && <th scope="col">Validation</th>}
          </tr>
        </thead>
        <tbody>
          {names.map((name) => (
            <tr key={name}>
              <td>{metricLabel(name)}</td>
              <td className="number">{formatNumber(summary.metrics[name])}</td>
              {summary.validationMetrics && (
                <td className="number">{formatNumber(summary.validationMetrics[name])}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <h4 className="summary-heading">Feature importance</h4>
      <ImportanceBars items={summary.importances} />
    </>
  );
}

/** What a deploy step decided, in its own words, and both figures when it compared with production. */
function DeploySummary({ summary }: { summary: z.infer<typeof deploySummarySchema> }) {
  const { comparison } = summary;
  return (
    <>
      <p className="summary-facts">
        <strong>{summary.model}</strong> version {summary.version}:{' '}
        {summary.alias ? `in ${summary.alias}` : 'registered, no alias'}
      </p>
      <p className="summary-facts">{summary.decision}</p>
      {comparison && (
        <table className="summary-table">
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">This version</th>
              <th scope="col">Production (version {comparison.productionVersion})</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>{metricLabel(comparison.metric)}</td>
              <td className="number">{formatNumber(comparison.new)}</td>
              <td className="number">{formatNumber(comparison.production)}</td>
            </tr>
          </tbody>
        </table>
      )}
    </>
  );
}

function DriftSummary({ summary }: { summary: z.infer<typeof driftSummarySchema> }) {
  const { alerts } = summary;
  return (
    <>
      <p className="summary-facts">
        <DriftStateBadge state={summary.state} /> {summary.model} v{summary.version}:{' '}
        {formatCount(summary.driftedFeatures)} of {formatCount(summary.features)} features drifted, on{' '}
        {formatCount(summary.rows)} rows against {formatCount(summary.referenceRows)} reference rows. Alerts
        opened {alerts.opened}, still open {alerts.kept}, closed {alerts.closed}.
      </p>
      {summary.topFeatures.length > 0 && (
        <p className="summary-facts">
          Moved most:{' '}
          {summary.topFeatures
            .map((feature) => `${feature.feature} (PSI ${formatNumber(feature.psi, true)}, ${feature.state})`)
            .join(', ')}
        </p>
      )}
    </>
  );
}
