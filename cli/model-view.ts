import type { AliasedVersion, ModelListItem, ModelVersionListItem } from '../db/queries/model-listing';
import type { LedgerEntry } from '../db/queries/registry';
import { mainMetric, numericMetrics } from '../nodes/evaluate/main-metric';

/** How `pipewright models list|show` print the registry: plain columns for people, JSON for scripts. */

/** A version's numeric metrics (jsonb comes back unknown; anything else in it is not a figure). */
export function versionMetrics(metrics: unknown): Record<string, number> {
  return Object.fromEntries(numericMetrics({ metrics }));
}

/** The order figures are shown in: the evaluation report's headline metrics first, then the rest by name. */
const METRIC_ORDER = [
  'accuracy',
  'f1',
  'roc_auc',
  'precision',
  'recall',
  'log_loss',
  'r2',
  'rmse',
  'mae',
  'mape',
];

function metricRank(name: string): number {
  const rank = METRIC_ORDER.indexOf(name);
  return rank < 0 ? METRIC_ORDER.length : rank;
}

/** A version's figures in display order (jsonb keeps its keys shortest first, which reads at random). */
export function orderedMetrics(metrics: unknown): [string, number][] {
  return Object.entries(versionMetrics(metrics)).sort(
    ([a], [b]) => metricRank(a) - metricRank(b) || a.localeCompare(b),
  );
}

/**
 * The one figure a list shows: the main metric of the run that registered the version (as the Runs
 * page names it) when the version has it, else accuracy (classification), else R² (regression),
 * else the first.
 */
export function headlineMetric(
  metrics: unknown,
  mainMetricName: string | null = null,
): { name: string; value: number } | null {
  const main = mainMetric([{ summary: { metrics }, gatedMetric: mainMetricName }]);
  if (main) return main;
  const [first] = Object.entries(versionMetrics(metrics));
  return first ? { name: first[0], value: first[1] } : null;
}

/**
 * ISO time of a timestamp from a raw query. drizzle's postgres.js driver turns the pool's timestamp
 * parser off (it parses dates itself), so `sql` queries hand back PostgreSQL's text, not a Date.
 */
export function isoTime(value: Date | string): string {
  return new Date(value).toISOString();
}

function figure(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}

function headlineText(version: AliasedVersion): string {
  const headline = headlineMetric(version.metrics, version.mainMetricName);
  return headline ? `${headline.name} ${figure(headline.value)}` : '—';
}

function aliasText(version: AliasedVersion | null): string {
  return version ? `v${version.version}` : '—';
}

/** Columns padded to their widest cell, two spaces apart. */
export function columns(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, index) => Math.max(...rows.map((row) => (row[index] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** The list as JSON: each model with its aliased versions and their headline metric. */
export function modelListJson(models: readonly ModelListItem[]) {
  return models.map((model) => ({
    name: model.name,
    description: model.description,
    owner: model.ownerEmail,
    tags: model.tags,
    versions: model.versionCount,
    latestVersion: model.latestVersion,
    production: aliasJson(model.production),
    staging: aliasJson(model.staging),
    updatedAt: isoTime(model.updatedAt),
  }));
}

function aliasJson(version: AliasedVersion | null) {
  return version
    ? {
        version: version.version,
        headline: headlineMetric(version.metrics, version.mainMetricName),
        createdAt: isoTime(version.createdAt),
      }
    : null;
}

export function modelListLines(models: readonly ModelListItem[]): string[] {
  if (models.length === 0) return ['No models match.'];
  return columns([
    ['NAME', 'PRODUCTION', 'STAGING', 'LATEST', 'VERSIONS', 'HEADLINE (production)', 'TAGS'],
    ...models.map((model) => [
      model.name,
      aliasText(model.production),
      aliasText(model.staging),
      model.latestVersion === null ? '—' : `v${model.latestVersion}`,
      String(model.versionCount),
      model.production ? headlineText(model.production) : '—',
      model.tags.join(', '),
    ]),
  ]);
}

export interface ModelDetail {
  model: ModelListItem;
  versions: readonly ModelVersionListItem[];
  ledger: readonly LedgerEntry[];
}

function ledgerActor(entry: LedgerEntry): string {
  const who = entry.actorEmail ?? entry.actorId;
  const run = entry.runId ? ` (run ${entry.runId})` : '';
  return `${entry.actorKind}${who ? ` ${who}` : ''}${run}`;
}

export function modelDetailJson({ model, versions, ledger }: ModelDetail) {
  return {
    ...modelListJson([model])[0],
    versionList: versions.map((version) => ({
      version: version.version,
      aliases: version.aliases,
      task: version.task,
      algorithm: version.algorithm,
      metrics: Object.fromEntries(orderedMetrics(version.metrics)),
      runId: version.runId,
      pipeline: version.pipelineName,
      pipelineVersion: version.pipelineVersion,
      createdBy: version.createdByEmail,
      createdAt: isoTime(version.createdAt),
      origin: version.origin,
      ...(version.origin === 'import'
        ? { importedBy: version.importedBy, importedFile: version.importedFile }
        : {}),
    })),
    ledger: ledger.map((entry) => ({
      at: isoTime(entry.at),
      alias: entry.alias,
      from: entry.fromVersion,
      to: entry.toVersion,
      actorKind: entry.actorKind,
      actor: entry.actorEmail ?? entry.actorId,
      runId: entry.runId,
      reason: entry.reason,
    })),
  };
}

export function modelDetailLines({ model, versions, ledger }: ModelDetail): string[] {
  const lines = [
    `${model.name}${model.description ? ` — ${model.description}` : ''}`,
    `production ${aliasText(model.production)} · staging ${aliasText(model.staging)} · ${model.versionCount} version${model.versionCount === 1 ? '' : 's'}${model.tags.length ? ` · tags ${model.tags.join(', ')}` : ''}`,
    '',
  ];
  if (versions.length === 0) lines.push('No versions yet.');
  else {
    lines.push(
      ...columns([
        ['VERSION', 'ALIASES', 'ALGORITHM', 'METRICS', 'PIPELINE', 'CREATED'],
        ...versions.map((version) => [
          `v${version.version}`,
          version.aliases.join(', ') || '—',
          version.algorithm,
          orderedMetrics(version.metrics)
            .map(([name, value]) => `${name} ${figure(value)}`)
            .join(', ') || '—',
          version.origin === 'import'
            ? `imported by ${version.importedBy ?? '?'}`
            : version.pipelineName
              ? `${version.pipelineName} v${version.pipelineVersion ?? '?'}`
              : '—',
          isoTime(version.createdAt),
        ]),
      ]),
    );
  }
  lines.push('', 'Ledger:');
  if (ledger.length === 0) lines.push('  no promotions yet');
  for (const entry of ledger) {
    const from = entry.fromVersion === null ? '—' : `v${entry.fromVersion}`;
    const to = entry.toVersion === null ? '—' : `v${entry.toVersion}`;
    lines.push(
      `  ${isoTime(entry.at)}  ${entry.alias} ${from} → ${to}${entry.kind === 'reject' ? ' rejected' : ''}  by ${ledgerActor(entry)}${entry.requestedByEmail ? ` (asked for by ${entry.requestedByEmail})` : ''}: ${entry.reason}`,
    );
  }
  return lines;
}
