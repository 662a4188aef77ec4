import type { Sql } from '../client';

/**
 * Production and staging side by side over a window of the prediction log: each version's
 * requests, latency and (as feedback arrives) accuracy or mean absolute error, and how often
 * staging's shadow answers agree with production's answer to the same row (pairs joined by
 * shadow_of). A shadow row's truth is the feedback on the production prediction it shadows.
 */

export interface VersionFigures {
  version: number;
  /** Distinct requests answered (production's rows) or scored (staging's canary and shadow rows). */
  requests: number;
  predictions: number;
  /** Of the predictions: answered as a canary, scored as a shadow. */
  canary: number;
  shadow: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  /** Predictions with feedback, and the share of them that were right (classification) … */
  labelled: number;
  accuracy: number | null;
  /** … or the mean absolute error (regression). */
  meanAbsoluteError: number | null;
}

export interface ShadowAgreement {
  /** Rows both versions answered (shadow pairs). */
  pairs: number;
  /** Classification: pairs with the same label. */
  agreeing: number;
  rate: number | null;
  /** Regression: the mean absolute difference of the two values. */
  meanAbsoluteDifference: number | null;
}

export interface CompareRequest {
  modelId: string;
  from: Date;
  to: Date;
  task: 'classification' | 'regression';
  production: number | null;
  staging: number | null;
}

interface FiguresRow {
  requests: number;
  predictions: number;
  canary: number;
  shadow: number;
  p50: number | null;
  p95: number | null;
  labelled: number;
  correct: number;
  mae: number | null;
}

/**
 * One version's figures over its rows of the given roles: production's version is read from its
 * production rows, staging's from its canary and shadow rows (what the rollout sent it).
 */
async function versionFigures(
  sql: Sql,
  request: CompareRequest,
  version: number,
  roles: readonly string[],
): Promise<VersionFigures> {
  const [row] = await sql<FiguresRow[]>`
    with logged as (
      select l.request_id, l.role, l.latency_ms, l.outputs,
        case when l.role = 'shadow' then fs.label else f.label end as truth
      from prediction_log l
      left join prediction_feedback f on f.prediction_id = l.prediction_id
      left join prediction_feedback fs on fs.prediction_id = l.shadow_of
      where l.model_id = ${request.modelId} and l.version = ${version} and l.role = any(${[...roles]})
        and l.at >= ${request.from.toISOString()}::timestamptz and l.at < ${request.to.toISOString()}::timestamptz)
    select count(distinct request_id)::int as requests, count(*)::int as predictions,
      count(*) filter (where role = 'canary')::int as canary,
      count(*) filter (where role = 'shadow')::int as shadow,
      percentile_cont(0.5) within group (order by latency_ms) as p50,
      percentile_cont(0.95) within group (order by latency_ms) as p95,
      count(truth)::int as labelled,
      ${
        request.task === 'classification'
          ? sql`count(*) filter (where truth is not null and outputs ->> 'label' = truth #>> '{}')::int as correct, null::float8 as mae`
          : sql`0 as correct, avg(abs((outputs ->> 'value')::float8 - (truth #>> '{}')::float8)) filter (where truth is not null) as mae`
      }
    from logged`;
  const figures = row ?? {
    requests: 0,
    predictions: 0,
    canary: 0,
    shadow: 0,
    p50: null,
    p95: null,
    labelled: 0,
    correct: 0,
    mae: null,
  };
  return {
    version,
    requests: figures.requests,
    predictions: figures.predictions,
    canary: figures.canary,
    shadow: figures.shadow,
    latencyP50Ms: figures.p50,
    latencyP95Ms: figures.p95,
    labelled: figures.labelled,
    accuracy:
      request.task === 'classification' && figures.labelled > 0 ? figures.correct / figures.labelled : null,
    meanAbsoluteError: request.task === 'regression' ? figures.mae : null,
  };
}

async function shadowAgreement(sql: Sql, request: CompareRequest, staging: number): Promise<ShadowAgreement> {
  const [row] = await sql<{ pairs: number; agreeing: number; difference: number | null }[]>`
    select count(*)::int as pairs,
      count(*) filter (where s.outputs ->> 'label' = p.outputs ->> 'label')::int as agreeing,
      ${
        request.task === 'regression'
          ? sql`avg(abs((s.outputs ->> 'value')::float8 - (p.outputs ->> 'value')::float8))`
          : sql`null::float8`
      } as difference
    from prediction_log s join prediction_log p on p.prediction_id = s.shadow_of
    where s.model_id = ${request.modelId} and s.role = 'shadow' and s.version = ${staging}
      and s.at >= ${request.from.toISOString()}::timestamptz and s.at < ${request.to.toISOString()}::timestamptz`;
  const pairs = row?.pairs ?? 0;
  return {
    pairs,
    agreeing: row?.agreeing ?? 0,
    rate: request.task === 'classification' && pairs > 0 ? (row?.agreeing ?? 0) / pairs : null,
    meanAbsoluteDifference: row?.difference ?? null,
  };
}

export async function compareRollout(
  sql: Sql,
  request: CompareRequest,
): Promise<{
  production: VersionFigures | null;
  staging: VersionFigures | null;
  agreement: ShadowAgreement | null;
}> {
  const { production, staging } = request;
  return {
    production: production === null ? null : await versionFigures(sql, request, production, ['production']),
    staging: staging === null ? null : await versionFigures(sql, request, staging, ['canary', 'shadow']),
    agreement: staging === null ? null : await shadowAgreement(sql, request, staging),
  };
}
