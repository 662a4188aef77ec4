'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { type Choice, ChoiceSelect } from '../_components/ChoiceSelect';
import { EmptyState } from '../_components/EmptyState';
import { formatCount, formatNumber } from '../_components/format';
import { OpenPipelinesLink } from '../_components/OpenPipelinesLink';
import { metricName } from '../_models/format';
import { useTRPC } from '../_trpc/client';
import { AlertsTable } from './AlertsTable';
import { DriftHeatMap } from './DriftHeatMap';
import { FeatureDriftChart } from './FeatureDriftChart';
import {
  type AlertsAnswer,
  type Check,
  dayAndTime,
  duration,
  featureNames,
  STATE_LABELS,
  worstFeature,
} from './monitoring-view';
import { PerformanceCharts } from './PerformanceCharts';
import { TrafficCharts } from './TrafficCharts';
import './monitoring.css';

const DAY_MS = 24 * 60 * 60 * 1000;
type RangeDays = '7' | '30' | '90';
const ranges: Choice<RangeDays>[] = [
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
];

/**
 * A model's Monitoring tab: the latest check's verdict, drift per feature over time (heat map and a
 * chart per feature against its thresholds), prediction volume and latency, performance on
 * feedback, and the alerts with the retraining runs they started.
 */
export function MonitoringTab({ name }: { name: string }) {
  const trpc = useTRPC();
  const [days, setDays] = useState<RangeDays>('30');
  // One start per chosen range: a new Date each render would make a new query each render.
  const from = useMemo(() => new Date(Date.now() - Number(days) * DAY_MS), [days]);
  const checks = useQuery(trpc.monitoring.checks.queryOptions({ name, from }));
  const alerts = useQuery(trpc.monitoring.alerts.queryOptions({ name }));
  const [picked, setPicked] = useState<string>();

  if (checks.error) return <p className="error-text">{checks.error.message}</p>;
  if (!checks.data) return <p className="muted monitor-loading">Loading monitoring…</p>;
  if (checks.data.totalChecks === 0) return <NoChecks name={name} />;
  const list = checks.data.checks;
  const names = featureNames(list);
  const feature = picked !== undefined && names.includes(picked) ? picked : worstFeature(list);

  return (
    <div className="monitoring">
      <StateHeader latest={list.at(-1)} alerts={alerts.data} />
      <div className="monitor-toolbar">
        <span className="muted">
          {list.length === 0
            ? 'No checks in this range.'
            : `${formatCount(list.length)} check${list.length === 1 ? '' : 's'} from ${dayAndTime(list[0]?.createdAt ?? from)}`}
        </span>
        <label className="chart-picker">
          Range
          <ChoiceSelect value={days} choices={ranges} onChoose={setDays} />
        </label>
      </div>
      {list.length > 0 && (
        <>
          <section className="panel" aria-labelledby="drift-heading">
            <div className="chart-head">
              <h2 id="drift-heading">Drift per feature</h2>
              <span className="muted panel-note">
                PSI of each feature in each check; pick a feature to chart it.
              </span>
            </div>
            <DriftHeatMap checks={list} selected={feature} onSelect={setPicked} />
            {feature && <FeatureDriftChart checks={list} feature={feature} onFeature={setPicked} />}
          </section>
          <TrafficCharts checks={list} />
          <section className="panel" aria-labelledby="performance-heading">
            <h2 id="performance-heading">Performance on feedback</h2>
            <PerformanceCharts checks={list} model={name} />
          </section>
        </>
      )}
      <section className="panel" aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">Alerts</h2>
        {alerts.error && <p className="error-text">{alerts.error.message}</p>}
        {alerts.data &&
          (alerts.data.alerts.length > 0 ? (
            <AlertsTable alerts={alerts.data.alerts} now={Date.now()} />
          ) : (
            <p className="muted">No alerts: every check so far was within its thresholds.</p>
          ))}
      </section>
    </div>
  );
}

/** The latest check's verdict at a glance. */
function StateHeader({ latest, alerts }: { latest: Check | undefined; alerts: AlertsAnswer | undefined }) {
  const open = alerts ? alerts.open.alert + alerts.open.warn : undefined;
  return (
    <div className="monitor-stats">
      <div className={`monitor-stat monitor-stat-${latest?.state ?? 'none'}`}>
        <span className="monitor-stat-label">Current state</span>
        <strong className="monitor-state" data-testid="current-state">
          {latest ? STATE_LABELS[latest.state] : '–'}
        </strong>
        <span className="muted">drift and performance, latest check</span>
      </div>
      <div className="monitor-stat">
        <span className="monitor-stat-label">Version watched</span>
        <strong>{latest?.version ? `v${latest.version}` : '–'}</strong>
        <span className="muted">
          {latest ? `${formatCount(latest.referenceRows)} reference rows` : 'no check in this range'}
        </span>
      </div>
      <div className="monitor-stat">
        <span className="monitor-stat-label">Last check</span>
        <strong>{latest ? dayAndTime(latest.createdAt) : '–'}</strong>
        <span
          className="muted"
          title={
            latest?.window
              ? `${formatCount(latest.currentRows)} rows logged from ${dayAndTime(latest.window.from)} to ${dayAndTime(latest.window.to)}`
              : undefined
          }
        >
          {latest
            ? `${duration(Date.now() - latest.createdAt.getTime())} ago · ${formatCount(latest.currentRows)} rows`
            : ''}
        </span>
      </div>
      <PerformanceStat latest={latest} />
      <div className={`monitor-stat ${open ? 'monitor-stat-alerting' : ''}`}>
        <span className="monitor-stat-label">Open alerts</span>
        <strong data-testid="open-alerts">{open ?? '–'}</strong>
        <span className="muted">
          {alerts ? `${plural(alerts.open.alert, 'alert')} · ${plural(alerts.open.warn, 'warning')}` : ''}
        </span>
      </div>
    </div>
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The latest check's quality on feedback: its first metric against the test figure, or that none was measured. */
function PerformanceStat({ latest }: { latest: Check | undefined }) {
  const performance = latest?.performance;
  const first = performance?.checks[0];
  return (
    <div className={`monitor-stat monitor-stat-${performance?.state ?? 'none'}`}>
      <span className="monitor-stat-label">Performance</span>
      <strong className="monitor-state" data-testid="current-performance">
        {first ? `${metricName(first.metric)} ${formatNumber(first.value)}` : '–'}
      </strong>
      <span className="muted">
        {performance && first
          ? `${STATE_LABELS[performance.state]} · test ${formatNumber(first.test)} · ${formatCount(performance.labelled)} labelled`
          : 'no feedback in the latest check'}
      </span>
    </div>
  );
}

function NoChecks({ name }: { name: string }) {
  return (
    <EmptyState title="No monitoring checks yet" action={<OpenPipelinesLink />}>
      Nothing watches {name} yet. To add a monitor, open a pipeline, drag <strong>Monitor drift</strong> from
      the palette's Monitor category onto the canvas and point it at {name}; then schedule the pipeline (say,
      daily) on the{' '}
      <Link className="monitoring-empty-link" href="/schedules">
        Schedules
      </Link>{' '}
      page. Each run writes a check here: drift per feature against the production version's reference,
      prediction volume and latency, and performance once feedback arrives.
    </EmptyState>
  );
}
