import type { Sql } from '../client';
import type { ModelAlias } from '../registry-schema';
import { containsPattern } from './like';

/**
 * The registry as lists show it: models with the versions their aliases point to (always, so a
 * search result never needs a second query for them), and a model's versions with their aliases.
 */

/** The version an alias points to, as a list shows it. */
export interface AliasedVersion {
  version: number;
  metrics: unknown;
  /**
   * The main metric's name of the run that registered it, as the Runs page shows it (the first
   * gate's metric, else accuracy, else R²); null for an imported version or once the run is deleted.
   */
  mainMetricName: string | null;
  /** ISO time (built in SQL as JSON). */
  createdAt: string;
}

export interface ModelListItem {
  id: string;
  name: string;
  description: string;
  ownerId: string | null;
  ownerEmail: string | null;
  /**
   * PostgreSQL's text for the timestamp (drizzle's postgres.js client leaves timestamps unparsed):
   * with its microseconds, so a keyset cursor made from it skips and repeats nothing.
   */
  updatedAt: string;
  tags: string[];
  versionCount: number;
  latestVersion: number | null;
  production: AliasedVersion | null;
  staging: AliasedVersion | null;
}

export interface ModelSearch {
  /** Matches the name or the description, ignoring case. */
  text?: string;
  /** Models with this tag. */
  tag?: string;
  /** Models with this alias set. */
  alias?: ModelAlias;
  /** Only this model (a model page, `pipewright models show`). */
  id?: string;
  limit: number;
  /** The last row of the previous page (newest change first). */
  cursor?: { updatedAt: string | Date; id: string };
}

/** One page of models, most recently changed first. Reads registered_models_updated_idx. */
export async function listModels(sql: Sql, search: ModelSearch): Promise<ModelListItem[]> {
  const text = search.text?.trim();
  return sql<ModelListItem[]>`
    select m.id, m.name, m.description, m.owner_id as "ownerId", u.email as "ownerEmail",
      m.updated_at as "updatedAt",
      coalesce((select array_agg(t.tag order by t.tag) from model_tags t where t.model_id = m.id), '{}') as tags,
      (select count(*)::int from model_versions v where v.model_id = m.id) as "versionCount",
      (select max(v.version) from model_versions v where v.model_id = m.id) as "latestVersion",
      (select json_build_object('version', v.version, 'metrics', v.metrics, 'createdAt', v.created_at,
           'mainMetricName', r.main_metric_name)
         from model_aliases a join model_versions v on v.id = a.version_id left join runs r on r.id = v.run_id
         where a.model_id = m.id and a.alias = 'production') as production,
      (select json_build_object('version', v.version, 'metrics', v.metrics, 'createdAt', v.created_at,
           'mainMetricName', r.main_metric_name)
         from model_aliases a join model_versions v on v.id = a.version_id left join runs r on r.id = v.run_id
         where a.model_id = m.id and a.alias = 'staging') as staging
    from registered_models m left join users u on u.id = m.owner_id
    where true
      ${text ? sql`and (m.name ilike ${containsPattern(text)} or m.description ilike ${containsPattern(text)})` : sql``}
      ${search.tag ? sql`and exists (select 1 from model_tags t where t.model_id = m.id and t.tag = ${search.tag})` : sql``}
      ${search.alias ? sql`and exists (select 1 from model_aliases a where a.model_id = m.id and a.alias = ${search.alias})` : sql``}
      ${search.id ? sql`and m.id = ${search.id}` : sql``}
      ${search.cursor ? sql`and (m.updated_at, m.id) < (${search.cursor.updatedAt}, ${search.cursor.id})` : sql``}
    order by m.updated_at desc, m.id desc
    limit ${search.limit}`;
}

export interface ModelVersionListItem {
  id: string;
  version: number;
  aliases: ModelAlias[];
  task: 'classification' | 'regression';
  algorithm: string;
  metrics: unknown;
  gates: unknown;
  runId: string | null;
  nodeId: string | null;
  pipelineId: string | null;
  pipelineName: string | null;
  pipelineVersion: number | null;
  createdBy: string | null;
  createdByEmail: string | null;
  /** run, or import (then importedBy says who, importedFile which file). */
  origin: 'run' | 'import';
  importedBy: string | null;
  importedFile: string | null;
  /** PostgreSQL's text for the timestamp, as updatedAt above. */
  createdAt: string;
}

/** One page of a model's versions, newest first. */
export async function listModelVersions(
  sql: Sql,
  modelId: string,
  page: { limit: number; beforeVersion?: number },
): Promise<ModelVersionListItem[]> {
  return sql<ModelVersionListItem[]>`
    select v.id, v.version, v.task, v.algorithm, v.metrics, v.gates, v.run_id as "runId", v.node_id as "nodeId",
      pv.pipeline_id as "pipelineId", p.name as "pipelineName", pv.version as "pipelineVersion",
      v.created_by as "createdBy", u.email as "createdByEmail", v.created_at as "createdAt",
      v.origin, v.imported_by as "importedBy", v.imported_file as "importedFile",
      coalesce((select array_agg(a.alias order by a.alias) from model_aliases a where a.version_id = v.id), '{}') as aliases
    from model_versions v
      left join pipeline_versions pv on pv.id = v.pipeline_version_id
      left join pipelines p on p.id = pv.pipeline_id
      left join users u on u.id = v.created_by
    where v.model_id = ${modelId}
      ${page.beforeVersion === undefined ? sql`` : sql`and v.version < ${page.beforeVersion}`}
    order by v.version desc
    limit ${page.limit}`;
}

/** Every model name, for pickers (the deploy node's model field). */
export async function listModelNames(sql: Sql, limit = 1000): Promise<string[]> {
  const rows = await sql<
    { name: string }[]
  >`select name from registered_models order by lower(name) limit ${limit}`;
  return rows.map((row) => row.name);
}

/** A model's tags, alphabetically. */
export async function listModelTags(sql: Sql, modelId: string): Promise<string[]> {
  const rows = await sql<
    { tag: string }[]
  >`select tag from model_tags where model_id = ${modelId} order by tag`;
  return rows.map((row) => row.tag);
}

/** Replaces a model's tags. */
export async function setModelTags(sql: Sql, modelId: string, tags: readonly string[]): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`delete from model_tags where model_id = ${modelId}`;
    for (const tag of new Set(tags))
      await tx`insert into model_tags (model_id, tag) values (${modelId}, ${tag})`;
    await tx`update registered_models set updated_at = now() where id = ${modelId}`;
  });
}

/** Changes a model's description. */
export async function setModelDescription(sql: Sql, modelId: string, description: string): Promise<void> {
  await sql`update registered_models set description = ${description}, updated_at = now() where id = ${modelId}`;
}
