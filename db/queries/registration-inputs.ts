import type { Sql } from '../client';

/**
 * What a deploy step reads about its own run and inputs, beside the registry: who started the run
 * (and that person's role and whether they are deactivated), and what the artifacts table recorded
 * about an input file.
 */

export interface RunStarterRow {
  runId: string;
  pipelineId: string;
  pipelineVersionId: string;
  trigger: 'manual' | 'schedule' | 'api' | 'monitor';
  parameters: unknown;
  startedBy: string | null;
  /** The OS user, when the local CLI started the run. */
  startedByCli: string | null;
}

export interface UserRoleRow {
  id: string;
  email: string;
  role: string;
  banned: boolean;
}

export async function findRunStarter(sql: Sql, runId: string): Promise<RunStarterRow | undefined> {
  const [row] = await sql<RunStarterRow[]>`
    select id as "runId", pipeline_id as "pipelineId", pipeline_version_id as "pipelineVersionId",
      trigger, parameters, started_by as "startedBy", started_by_cli as "startedByCli"
    from runs where id = ${runId}`;
  return row;
}

export async function findUserRole(sql: Sql, userId: string): Promise<UserRoleRow | undefined> {
  const [row] = await sql<UserRoleRow[]>`select id, email, role, banned from users where id = ${userId}`;
  return row;
}

/** An artifact's checksum and profile (datasets), as the step that wrote it recorded them. */
export async function findArtifactFacts(
  sql: Sql,
  artifactId: string,
): Promise<{ sha256: string; profile: unknown } | undefined> {
  const [row] = await sql<{ sha256: string; profile: unknown }[]>`
    select sha256, profile from artifacts where id = ${artifactId}`;
  return row;
}

/**
 * The step that wrote an artifact, the graph of the pipeline version its run ran (where the step's
 * config, with its parameter references, is read from) and that run's parameter values. A reused
 * output belongs to the earlier run that made it, so this is that run's graph and values.
 */
export async function findProducerStep(
  sql: Sql,
  artifactId: string,
): Promise<{ nodeId: string; graph: unknown; parameters: unknown } | undefined> {
  const [row] = await sql<{ nodeId: string; graph: unknown; parameters: unknown }[]>`
    select s.node_id as "nodeId", v.graph, r.parameters
    from artifacts a
    join run_steps s on s.id = a.step_id
    join runs r on r.id = s.run_id
    join pipeline_versions v on v.id = r.pipeline_version_id
    where a.id = ${artifactId}`;
  return row;
}
