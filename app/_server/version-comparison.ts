import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { Database, Sql } from '../../db/client';
import { getArtifact } from '../../db/queries/artifacts';
import { listModelVersions } from '../../db/queries/model-listing';
import {
  findModelVersion,
  findPipelineGraph,
  type ModelVersionRow,
  modelAliasVersions,
  readModelFile,
} from '../../db/queries/registry';
import { findStepOutputs } from '../../db/queries/version-evaluation';
import { readProfile } from '../../nodes/_data/profile-schema';
import { artifactRefSchema } from '../../nodes/_kit/artifact-ref';
import { numericMetrics } from '../../nodes/evaluate/main-metric';
import { type EvaluationReport, evaluationReportSchema } from '../../nodes/evaluate/report-schema';
import { EVALUATION_FILE, type ModelAlias } from '../../registry/version-schema';
import { requireModel } from '../../runtime/models/promotion';
import type { VersionComparison, VersionSide } from '../_models/compare/comparison-schema';
import { evaluationParts } from '../_models/compare/evaluation-parts';
import { pairImportances } from '../_models/compare/importance-pairs';
import { compareMetrics } from '../_models/compare/metric-rows';
import { compareProfiles } from '../_models/compare/profile-diff';
import { readArtifactFile } from './routers/artifacts';

/**
 * Two versions of a model side by side (models.compare): their metrics with the change and the
 * better one, confusion matrices, ROC curves, feature importances and the profiles of the data each
 * was trained on. What a version does not hold comes back null, never as an error.
 */

/** What the comparison reads: the registry and runs (PostgreSQL), and report files under DATA_DIR. */
type Readers = { sql: Sql; db: Database; dataDir: string };

/** Reports are small (curves thinned to 200 points, at most 1000 residuals); a larger file is not read. */
const MAX_REPORT_BYTES = 20 * 1024 * 1024;

export async function compareVersions(
  services: Readers,
  input: { name: string; a?: number; b?: number },
): Promise<VersionComparison> {
  const { sql } = services;
  const model = await requireModel(sql, input.name);
  const aliases = await modelAliasVersions(sql, model.id);
  const newest = await listModelVersions(sql, model.id, { limit: 2 });
  const chosen = chooseVersions({
    newest: newest.map((row) => row.version),
    production: aliases.production ?? null,
    a: input.a,
    b: input.b,
    model: model.name,
  });
  const [a, b] = await Promise.all([
    requireVersion(sql, model, chosen.a, 'a'),
    requireVersion(sql, model, chosen.b, 'b'),
  ]);
  const [reportA, reportB] = await Promise.all([evaluationOf(services, a), evaluationOf(services, b)]);
  const importances = pairImportances(reportA?.report.importances ?? [], reportB?.report.importances ?? []);
  const bothPermutation = Boolean(
    reportA?.report.permutationImportances.length && reportB?.report.permutationImportances.length,
  );
  return {
    model: model.name,
    a: side(a, aliases, reportA),
    b: side(b, aliases, reportB),
    metrics: compareMetrics(metricsOf(a.metrics), metricsOf(b.metrics)),
    importances: {
      recorded: {
        a: Boolean(reportA?.report.importances.length),
        b: Boolean(reportB?.report.importances.length),
      },
      model: importances.pairs,
      permutation: bothPermutation
        ? pairImportances(
            reportA?.report.permutationImportances ?? [],
            reportB?.report.permutationImportances ?? [],
          ).pairs
        : [],
      features: importances.features,
    },
    profile: compareProfiles(
      { sha256: a.datasetSha256, profile: readProfile(a.datasetProfile) },
      { sha256: b.datasetSha256, profile: readProfile(b.datasetProfile) },
    ),
  };
}

/**
 * The two version numbers to compare. Asked for, they are used as given; otherwise A is production
 * and B the newest other version, or without production the older and newer of the two newest. A
 * model with one version has nothing to compare, and a version is not compared with itself.
 */
export function chooseVersions(input: {
  /** The model's newest version numbers, newest first (two are enough). */
  newest: number[];
  production: number | null;
  a?: number;
  b?: number;
  model: string;
}): { a: number; b: number } {
  const { newest, production } = input;
  if (newest.length < 2 && (input.a === undefined || input.b === undefined))
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `${input.model} has ${newest.length === 0 ? 'no versions' : 'one version'}: a comparison needs two.`,
    });
  const other = (than: number | undefined) => newest.find((version) => version !== than);
  const a =
    input.a ??
    (production !== null && production !== input.b
      ? production
      : input.b === undefined
        ? newest[1]
        : other(input.b));
  const b = input.b ?? other(a);
  if (a === undefined || b === undefined)
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `${input.model} has no second version to compare with.`,
    });
  if (a === b)
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `b: pick two different versions (a and b are both version ${a}).`,
    });
  return { a, b };
}

async function requireVersion(
  sql: Sql,
  model: { id: string; name: string },
  version: number,
  field: 'a' | 'b',
): Promise<ModelVersionRow> {
  const row = await findModelVersion(sql, model.id, version);
  if (!row)
    throw new TRPCError({ code: 'NOT_FOUND', message: `${field}: ${model.name} has no version ${version}.` });
  return row;
}

interface FoundReport {
  report: EvaluationReport;
  source: 'version' | 'run';
}

/** The version's evaluation report: kept with the version, else read from its run; null when neither has it. */
async function evaluationOf(services: Readers, version: ModelVersionRow): Promise<FoundReport | null> {
  const kept = await readModelFile(services.sql, version.id, EVALUATION_FILE);
  if (kept) {
    const report = parseReport(kept.content.toString('utf8'));
    if (report) return { report, source: 'version' };
  }
  const report = await runReport(services, version);
  return report ? { report, source: 'run' } : null;
}

const edgesSchema = z.object({
  edges: z.array(
    z.object({
      source: z.object({ node: z.string(), port: z.string() }),
      target: z.object({ node: z.string(), port: z.string() }),
    }),
  ),
});

/**
 * The report the deploy step that registered the version was given, read from the run's files:
 * for versions registered before the report was kept with them. Null when the run, the step or the
 * file is gone (retention, a deleted run) or the version has no run (imported).
 */
async function runReport(services: Readers, version: ModelVersionRow): Promise<EvaluationReport | null> {
  const { sql } = services;
  if (!version.runId || !version.nodeId || !version.pipelineVersionId) return null;
  const graph = edgesSchema.safeParse(await findPipelineGraph(sql, version.pipelineVersionId));
  const edge = graph.success
    ? graph.data.edges.find((each) => each.target.node === version.nodeId && each.target.port === 'report')
    : undefined;
  if (!edge) return null;
  const outputs = z
    .record(z.string(), artifactRefSchema)
    .safeParse(await findStepOutputs(sql, version.runId, edge.source.node));
  const reference = outputs.success ? outputs.data[edge.source.port] : undefined;
  if (!reference) return null;
  const artifact = await getArtifact(services.db, reference.id);
  if (!artifact || artifact.deletedAt || artifact.kind !== 'report') return null;
  try {
    return parseReport(await readArtifactFile(artifact.uri, services.dataDir, MAX_REPORT_BYTES));
  } catch (error) {
    // The file is gone, too large, or outside the artifact folder: the page says "Not recorded".
    if (error instanceof TRPCError) return null;
    throw error;
  }
}

function parseReport(text: string): EvaluationReport | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = evaluationReportSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function side(
  row: ModelVersionRow,
  aliases: Partial<Record<ModelAlias, number>>,
  found: FoundReport | null,
): VersionSide {
  const parts = found && evaluationParts(found.report);
  return {
    version: row.version,
    aliases: (['production', 'staging'] as const).filter((alias) => aliases[alias] === row.version),
    task: row.task,
    algorithm: row.algorithm,
    createdAt: row.createdAt instanceof Date ? row.createdAt : new Date(row.createdAt),
    runId: row.runId,
    evaluationSource: found?.source ?? null,
    testRows: parts?.testRows ?? null,
    confusion: parts?.confusion ?? null,
    roc: parts?.roc ?? null,
    residuals: parts?.residuals ?? null,
  };
}

function metricsOf(stored: unknown): Record<string, number> {
  return Object.fromEntries(numericMetrics({ metrics: stored }));
}
