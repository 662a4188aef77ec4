import type { DriftColumn, NumericReference } from '../../ml/drift';
import type { VersionReference } from '../../registry/version-schema';
import { Duck } from '../_data/duck';
import type { ArtifactRef } from '../_kit/artifact-ref';
import type { NodeRun } from '../_kit/define-node';
import { NodeInputError } from '../_kit/errors';
import { writeJsonArtifact } from '../_kit/json-artifact';
import type { AlertChanges, CheckState, MonitoredVersion, MonitoringPort } from '../_kit/monitoring-port';
import { alertSubjects, assessDrift, type DriftAssessment, topFeatures } from './assessment';
import { datasetColumns } from './dataset-columns';
import { type DriftInput, loggedDriftColumn, numericReferenceOf, sampleColumns } from './drift-columns';
import { modelStatsOf } from './model-stats';
import { DEFAULT_WATCHED, labelledPairs, measurePerformance, performanceSubjects } from './performance';
import type { DriftReport, ModelStats, Performance } from './report-schema';
import { slicePerformance } from './slice-performance';
import type { monitorDriftSpec } from './spec';
import { thresholdsByFeature } from './thresholds';

type Config = Parameters<NodeRun<typeof monitorDriftSpec>>[0]['config'];

/** How many features the summary names, largest PSI first. */
const SUMMARY_FEATURES = 5;
const HOUR_MS = 3_600_000;

/**
 * Compares the production version's reference (the raw training rows the registry kept, or a
 * dataset) with what the model is asked now (its logged predictions over the last hours or days,
 * or a dataset), feature by feature; records the check, opens, keeps or closes its alerts, and
 * writes the report.
 */
export const runMonitorDrift: NodeRun<typeof monitorDriftSpec> = async ({ config, inputs }, context) => {
  const monitoring = context.monitoring;
  if (!monitoring) throw new Error('This worker has no model monitoring (it runs without a database)');
  checkReferenceChoice(config, inputs.reference);
  const version = await watchedVersion(monitoring, config.model);
  const features: DriftInput[] = version.signature.inputs.map(({ name, type }) => ({ name, type }));
  const thresholds = thresholdsByFeature(
    config,
    features.map((feature) => feature.name),
  );
  const duck = inputs.reference || inputs.current ? await Duck.open() : undefined;
  try {
    const reference =
      duck && inputs.reference
        ? await datasetColumns(duck, inputs.reference, features, 'reference')
        : await registryReference(version, features);
    if (reference.rows === 0)
      throw new NodeInputError('The reference input has no rows: nothing to compare with', {
        field: 'reference',
      });
    context.progress(0.3);
    const current: CurrentSide =
      duck && inputs.current
        ? {
            source: 'input',
            window: null,
            stats: null,
            performance: null,
            versions: [],
            ...(await datasetColumns(duck, inputs.current, features, 'current')),
          }
        : await loggedCurrent(monitoring, version, features, config);
    if (current.rows === 0)
      throw new NodeInputError('The current input has no rows: nothing to compare', { field: 'current' });
    context.progress(0.6);

    const assessment = assessDrift(
      features.map((feature) => ({
        feature: feature.name,
        reference: referenceOf(reference.columns, feature, inputs.reference ? undefined : version.reference),
        current: required(current.columns, feature.name),
        thresholds: required(thresholds, feature.name),
      })),
      config.driftShare,
    );
    context.progress(0.8);
    const { checkId } = await monitoring.recordCheck({
      modelId: version.modelId,
      version: version.version,
      window: current.window,
      referenceRows: reference.rows,
      currentRows: current.rows,
      state: worstState(assessment.state, current.performance?.state ?? 'ok'),
      features: assessment.features,
      modelStats: current.stats,
      performance: current.performance,
    });
    const alerts = await monitoring.syncAlerts({
      modelId: version.modelId,
      checkId,
      subjects: [
        ...alertSubjects(assessment),
        ...(current.performance ? performanceSubjects(current.performance) : []),
      ],
      unjudgedKinds: current.performance && !current.performance.judged ? ['performance'] : [],
    });
    const report = driftReport({
      checkId,
      version,
      assessment,
      reference: { source: inputs.reference ? 'input' : 'registry', rows: reference.rows },
      current,
      alerts,
    });
    const stored = await writeJsonArtifact(context, 'report', 'drift', report);
    logOutcome(context.log, report);
    context.progress(1);
    return {
      outputs: { report: stored.ref },
      summary: summaryOf(report),
    };
  } finally {
    duck?.close();
  }
};

function driftReport(parts: {
  checkId: string;
  version: MonitoredVersion;
  assessment: DriftAssessment;
  reference: DriftReport['reference'];
  current: CurrentSide;
  alerts: AlertChanges;
}): DriftReport {
  const { assessment, current } = parts;
  return {
    kind: 'drift',
    checkId: parts.checkId,
    model: parts.version.modelName,
    version: parts.version.version,
    state: worstState(assessment.state, current.performance?.state ?? 'ok'),
    dataset: assessment.dataset,
    reference: parts.reference,
    current: {
      source: current.source,
      window: current.window && {
        from: current.window.from.toISOString(),
        to: current.window.to.toISOString(),
      },
      rows: current.rows,
      versions: current.versions,
    },
    features: assessment.features,
    topFeatures: topFeatures(assessment.features, assessment.features.length),
    modelStats: current.stats,
    performance: current.performance,
    alerts: parts.alerts,
  };
}

/** What the canvas shows of the step: the verdict, the features that moved most, what happened to alerts. */
function summaryOf(report: DriftReport) {
  return {
    model: report.model,
    version: report.version,
    state: report.state,
    driftedFeatures: report.dataset.driftedFeatures,
    features: report.dataset.features,
    rows: report.current.rows,
    referenceRows: report.reference.rows,
    window: report.current.window,
    topFeatures: report.topFeatures.slice(0, SUMMARY_FEATURES),
    alerts: {
      opened: report.alerts.opened.length,
      kept: report.alerts.kept.length,
      closed: report.alerts.closed.length,
    },
  };
}

/** "Compare with" and the Reference port must agree, or the step would silently ignore one of them. */
function checkReferenceChoice(config: Config, reference: ArtifactRef | undefined): void {
  if (config.reference === 'input' && !reference)
    throw new NodeInputError(
      'Compare with is set to input, but no dataset is connected to the Reference port: connect raw training rows, or choose registry',
      { field: 'reference' },
    );
  if (config.reference === 'registry' && reference)
    throw new NodeInputError(
      'A dataset is connected to the Reference port, but Compare with is set to registry: choose input, or remove the edge',
      { field: 'reference' },
    );
}

async function watchedVersion(monitoring: MonitoringPort, modelName: string): Promise<MonitoredVersion> {
  const found = await monitoring.findVersion(modelName);
  if (found.status === 'no-model')
    throw new NodeInputError(`No registered model is named "${modelName}" (see Models)`, { field: 'model' });
  if (found.status === 'no-version')
    throw new NodeInputError(
      `Model "${modelName}" has no production version: promote a version before monitoring it`,
      { field: 'model' },
    );
  return found.version;
}

async function registryReference(
  version: MonitoredVersion,
  features: readonly DriftInput[],
): Promise<{ rows: number; columns: Map<string, DriftColumn> }> {
  const where = `The reference sample of ${version.modelName} version ${version.version}`;
  const sample = await version.referenceSample();
  if (!sample || sample.rows.length === 0)
    throw new NodeInputError(
      `${version.modelName} version ${version.version} has no reference sample in the registry: connect raw training rows to the Reference port and set Compare with to input`,
      { field: 'reference' },
    );
  return { rows: sample.rows.length, columns: sampleColumns(sample, features, where) };
}

/**
 * A feature's reference side. A numeric one is binned at the registry's deciles when the reference
 * is the registry's sample (`registry` given), at its own deciles when it is a dataset.
 */
function referenceOf(
  columns: Map<string, DriftColumn>,
  feature: DriftInput,
  registry: VersionReference | undefined,
): DriftColumn | NumericReference {
  const column = required(columns, feature.name);
  if (!(column instanceof Float64Array)) return column;
  return numericReferenceOf(column, registry?.[feature.name]);
}

interface CurrentSide {
  source: 'log' | 'input';
  window: { from: Date; to: Date } | null;
  rows: number;
  versions: number[];
  columns: Map<string, DriftColumn>;
  stats: ModelStats | null;
  performance: Performance | null;
}

/**
 * The logged predictions of the window ending when the run started (a retried attempt reads the
 * same rows), and the window before it, whose answers the window's are compared with.
 */
async function loggedCurrent(
  monitoring: MonitoringPort,
  version: MonitoredVersion,
  features: readonly DriftInput[],
  config: Config,
): Promise<CurrentSide> {
  const to = await monitoring.runStartedAt();
  const { from, described } = await windowStart(monitoring, to, config);
  const length = to.getTime() - from.getTime();
  const request = { modelId: version.modelId, signature: version.signature };
  const logged = await monitoring.readLog({ ...request, from, to });
  if (logged.rows === 0)
    throw new NodeInputError(
      `No predictions of ${version.modelName} were logged in the window (${described}: ${from.toISOString()} to ${to.toISOString()}): nothing to compare. Widen the window, or check that the endpoint is used and its predictions logged`,
      { field: 'windowLength' },
    );
  const previous = await monitoring.readLog({
    ...request,
    from: new Date(from.getTime() - length),
    to: from,
  });
  const columns = new Map<string, DriftColumn>(
    features.map((feature) => [
      feature.name,
      loggedDriftColumn(feature, required(logged.columns, feature.name)),
    ]),
  );
  return {
    source: 'log',
    window: { from, to },
    rows: logged.rows,
    versions: logged.versions,
    columns,
    stats: modelStatsOf(logged, previous, { from, to }),
    performance: config.measurePerformance ? await performanceOf(monitoring, version, to, config) : null,
  };
}

/**
 * The watched version's predictions of the last days that have feedback, scored against its test
 * figures. Its own window, longer than the drift's: labels may come days after their predictions.
 */
async function performanceOf(
  monitoring: MonitoringPort,
  version: MonitoredVersion,
  to: Date,
  config: Config,
): Promise<Performance> {
  const from = new Date(to.getTime() - config.performanceDays * 24 * HOUR_MS);
  const labelled = await monitoring.readLabelledLog({
    modelId: version.modelId,
    signature: version.signature,
    from,
    to,
    onlyVersion: version.version,
  });
  const task = version.signature.output.task;
  const performance = measurePerformance(labelledPairs(labelled, version), version.testMetrics, {
    metrics: DEFAULT_WATCHED[task],
    maxDrop: config.maxMetricDrop,
    maxRise: config.maxErrorRise,
    minLabelled: config.minLabelled,
  });
  return {
    ...performance,
    window: { from: from.toISOString(), to: to.toISOString() },
    slices: await slicePerformance(labelled, version, await version.slices()),
  };
}

/** A check is as bad as the worse of its drift and its performance. */
function worstState(drift: CheckState, performance: CheckState): CheckState {
  const rank: Record<CheckState, number> = { ok: 0, warn: 1, alert: 2 };
  return rank[performance] > rank[drift] ? performance : drift;
}

/** Where the current window starts: N hours or days back, or where the previous check ended. */
async function windowStart(
  monitoring: MonitoringPort,
  to: Date,
  config: Config,
): Promise<{ from: Date; described: string }> {
  const last = `the last ${windowText(config)} before the run started`;
  const back = new Date(
    to.getTime() - config.windowLength * (config.windowUnit === 'days' ? 24 : 1) * HOUR_MS,
  );
  if (config.currentWindow === 'last') return { from: back, described: last };
  const previous = await monitoring.lastCheckEnd();
  if (!previous || previous.getTime() >= to.getTime())
    return { from: back, described: `no earlier check: ${last}` };
  return { from: previous, described: 'since the last check' };
}

/** "1 hour", "36 hours", "0.5 days". */
function windowText(config: Config): string {
  const unit = config.windowLength === 1 ? config.windowUnit.slice(0, -1) : config.windowUnit;
  return `${config.windowLength} ${unit}`;
}

function required<V>(map: ReadonlyMap<string, V>, name: string): V {
  const value = map.get(name);
  if (value === undefined) throw new Error(`No column "${name}" was read`);
  return value;
}

function logOutcome(log: { info(message: string): void; warn(message: string): void }, report: DriftReport) {
  const drifted = report.features.filter((feature) => feature.state !== 'ok');
  const line = `${report.model} version ${report.version}: ${report.state}; ${report.dataset.driftedFeatures} of ${report.dataset.features} features in alert${drifted.length ? ` (${drifted.map((feature) => `${feature.feature} ${feature.state}, PSI ${feature.psi === null ? 'n/a' : feature.psi.toFixed(3)}`).join('; ')})` : ''}`;
  if (report.state === 'ok') log.info(line);
  else log.warn(line);
  for (const alert of report.alerts.opened) log.warn(`Opened an alert on ${alert.subject} (${alert.state})`);
  for (const alert of report.alerts.closed) log.info(`Closed the alert on ${alert.subject}`);
}
