import type { Env } from '../../config/env';
import { createPipeline, getVersion, latestVersion } from '../../db/queries/pipelines';
import { listRuns } from '../../db/queries/runs';
import { recordCliAction } from '../cli-audit';
import { loadDocument, pipelineNameFor } from '../load-document';
import type { Output } from '../output';
import { CliError, openSession } from '../session';

/** `pipewright import FILE`: a new pipeline from a JSON file. */
export async function importCommand(file: string, env: Env, out: Output): Promise<number> {
  const document = await loadDocument(file);
  const session = await openSession(env, { startIfMissing: false, log: out.progress });
  try {
    const { pipeline, version } = await createPipeline(session.database.db, {
      name: pipelineNameFor(file, document),
      graph: document,
      author: 'cli',
    });
    await recordCliAction(session.database.db, {
      action: 'pipeline.imported',
      objectType: 'pipeline',
      objectId: pipeline.id,
      objectLabel: pipeline.name,
      details: { version: version.version },
    });
    out.print(
      out.json
        ? JSON.stringify({ pipelineId: pipeline.id, versionId: version.id })
        : `Imported "${pipeline.name}" as ${pipeline.id}`,
    );
    return 0;
  } finally {
    await session.close();
  }
}

/** `pipewright export PIPELINE_ID`: the latest version's JSON on stdout. */
export async function exportCommand(pipelineId: string, env: Env, out: Output): Promise<number> {
  const session = await openSession(env, { startIfMissing: false, log: out.progress });
  try {
    const latest = await latestVersion(session.database.db, pipelineId).catch(() => undefined);
    const version = latest && (await getVersion(session.database.db, latest.id));
    if (!version) throw new CliError(`No pipeline with id ${pipelineId}`);
    out.print(JSON.stringify(version.graph, null, 2));
    return 0;
  } finally {
    await session.close();
  }
}

/** `pipewright runs [--pipeline ID]`: the latest runs, newest first. */
export async function runsCommand(pipelineId: string | undefined, env: Env, out: Output): Promise<number> {
  const session = await openSession(env, { startIfMissing: false, log: out.progress });
  try {
    const rows = await listRuns(session.database.db, { pipelineId, limit: 50 });
    if (out.json) {
      out.print(JSON.stringify(rows, null, 2));
      return 0;
    }
    if (rows.length === 0) out.print('No runs yet.');
    for (const row of rows) {
      const duration = row.finishedAt
        ? `${((row.finishedAt.getTime() - row.startedAt.getTime()) / 1000).toFixed(1)} s`
        : '—';
      out.print(
        `${row.id}  ${row.status.padEnd(9)} ${row.startedAt.toISOString()}  ${duration.padStart(8)}  ${row.pipelineName} v${row.version}`,
      );
    }
    return 0;
  } finally {
    await session.close();
  }
}
