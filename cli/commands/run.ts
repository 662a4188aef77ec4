import { existsSync } from 'node:fs';
import type { Env } from '../../config/env';
import type { Database } from '../../db/client';
import {
  createPipeline,
  findPipelineByName,
  getPipeline,
  latestVersion,
  saveVersion,
} from '../../db/queries/pipelines';
import { parsePipelineDocument } from '../../pipeline/document';
import { hashValue } from '../../pipeline/hash';
import type { NodeRegistry } from '../../workflows/node-registry';
import type { RunResult } from '../../workflows/pipeline.types';
import { CompileError, startRun } from '../../workflows/run-service';
import { cliOsUser, recordCliAction } from '../cli-audit';
import { loadDocument, pipelineNameFor } from '../load-document';
import type { Output } from '../output';
import { parseParamFlags } from '../params';
import { buildRunReport } from '../run-report';
import { CliError, openSession } from '../session';

export interface RunFlags {
  params: string[];
  wait: boolean;
}

/** `pipewright run FILE|PIPELINE_ID`: starts a run; with --wait, exits 0 only when it succeeded. */
export async function runCommand(
  target: string,
  flags: RunFlags,
  env: Env,
  out: Output,
  nodes: NodeRegistry,
): Promise<number> {
  const session = await openSession(env, {
    startIfMissing: flags.wait,
    log: out.progress,
    runOf: nodes.runOf,
  });
  try {
    const { versionId, document, pipeline } = await resolveVersion(session.database.db, target);
    const parameters = await parseParamFlags(document, flags.params, session.dataDir);
    const services = {
      db: session.database.db,
      temporal: session.temporal,
      taskQueue: session.taskQueue,
      specOf: nodes.specOf,
    };
    const started = await startRun(services, {
      pipelineVersionId: versionId,
      parameters,
      trigger: 'api',
      startedByCli: cliOsUser() ?? 'unknown',
    }).catch((error: unknown) => {
      if (error instanceof CompileError) throw new CliError(`The pipeline cannot run: ${error.message}`);
      throw error;
    });
    await recordCliAction(session.database.db, {
      action: 'run.started',
      objectType: 'run',
      objectId: started.runId,
      objectLabel: pipeline.name,
      details: { pipelineId: pipeline.id, trigger: 'api' },
    });
    if (!flags.wait) {
      out.print(
        out.json
          ? JSON.stringify({ runId: started.runId, status: 'running' })
          : `Started run ${started.runId}`,
      );
      return 0;
    }
    out.progress(`Run ${started.runId} started; waiting for it to finish…`);
    const result: RunResult = await session.temporal.workflow.getHandle(started.workflowId).result();
    const report = await buildRunReport(session.database.db, started.runId);
    if (out.json) out.print(JSON.stringify(report, null, 2));
    else printReport(report, result, out);
    return report.status === 'succeeded' ? 0 : 1;
  } finally {
    await session.close();
  }
}

/**
 * A file becomes a pipeline named after it: a new version when its content changed since the last
 * run, the same version when it did not. Anything else is a pipeline id.
 */
async function resolveVersion(db: Database, target: string) {
  if (existsSync(target)) {
    const document = await loadDocument(target);
    const name = pipelineNameFor(target, document);
    const existing = await findPipelineByName(db, name);
    if (!existing) {
      const { pipeline, version } = await createPipeline(db, { name, graph: document, author: 'cli' });
      await recordCliAction(db, {
        action: 'pipeline.created',
        ...pipelineObject(pipeline),
        details: { version: 1 },
      });
      return { versionId: version.id, document, pipeline };
    }
    const latest = await latestVersion(db, existing.id);
    if (latest && hashValue(latest.graph) === hashValue(document)) {
      return { versionId: latest.id, document, pipeline: existing };
    }
    const saved = await saveVersion(db, {
      pipelineId: existing.id,
      graph: document,
      author: 'cli',
      message: `run of ${target}`,
    });
    await recordCliAction(db, {
      action: 'pipeline.saved',
      ...pipelineObject(existing),
      details: { version: saved.version },
    });
    return { versionId: saved.id, document, pipeline: existing };
  }
  if (!/^[0-9a-f-]{36}$/i.test(target)) throw new CliError(`${target}: no such file, and not a pipeline id`);
  const latest = await latestVersion(db, target);
  const pipeline = await getPipeline(db, target);
  if (!latest || !pipeline) throw new CliError(`No pipeline with id ${target}`);
  return { versionId: latest.id, document: parsePipelineDocument(latest.graph), pipeline };
}

/** A pipeline as an audit entry's object, its name copied as it is now. */
function pipelineObject(pipeline: { id: string; name: string }) {
  return { objectType: 'pipeline', objectId: pipeline.id, objectLabel: pipeline.name };
}

function printReport(
  report: Awaited<ReturnType<typeof buildRunReport>>,
  result: RunResult,
  out: Output,
): void {
  out.print(`Run ${report.runId}: ${report.status}`);
  for (const step of report.steps) {
    const seconds = (step.durationMs / 1000).toFixed(1);
    out.print(
      `  ${step.status.padEnd(9)} ${step.nodeId.padEnd(20)} ${step.type.padEnd(18)} ${seconds} s${step.error ? `  ${step.error}` : ''}`,
    );
  }
  for (const [nodeId, metrics] of Object.entries(report.metrics)) {
    out.print(
      `  metrics of ${nodeId}: ${Object.entries(metrics)
        .map(([name, value]) => `${name}=${value}`)
        .join(', ')}`,
    );
  }
  if (result.error) out.print(result.error);
}
