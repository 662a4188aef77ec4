import type { Env } from '../../config/env';
import { getPipeline, latestVersion, NotFoundError } from '../../db/queries/pipelines';
import { parsePipelineDocument } from '../../pipeline/document';
import type { NodeRegistry } from '../../workflows/node-registry';
import {
  backfillOverlapSchema,
  InvalidScheduleError,
  parseInput,
  pipelineIdSchema,
  scheduleOverlapSchema,
} from '../../workflows/schedules/schedule-inputs';
import {
  backfillSchedule,
  createSchedule,
  listScheduleDescriptions,
  pauseSchedule,
  removeSchedule,
  resumeSchedule,
  type ScheduleDescription,
  type ScheduleServiceDeps,
  triggerSchedule,
} from '../../workflows/schedules/schedule-service';
import { SchedulerUnavailableError } from '../../workflows/schedules/scheduler-errors';
import { parseEvery, type Timing, timingSchema } from '../../workflows/schedules/timing';
import { cliAuditActor } from '../cli-audit';
import type { Output } from '../output';
import { parseParamFlags } from '../params';
import { CliError, openSession, type Session } from '../session';

export interface ScheduleFlags {
  pipeline?: string;
  every?: string;
  cron?: string;
  timezone?: string;
  overlap?: string;
  params: string[];
  note?: string;
  from?: string;
  to?: string;
}

const SUBCOMMANDS = 'list, create, pause, resume, trigger, delete or backfill';

/** `pipewright schedules …`: the schedule service against the local services, audited as the CLI. */
export async function schedulesCommand(
  subcommand: string | undefined,
  target: string | undefined,
  flags: ScheduleFlags,
  env: Env,
  out: Output,
  nodes: NodeRegistry,
): Promise<number> {
  if (!subcommand) throw new CliError(`schedules needs a subcommand: ${SUBCOMMANDS}`);
  const session = await openSession(env, { startIfMissing: false, log: out.progress });
  const deps: ScheduleServiceDeps = {
    db: session.database.db,
    temporal: session.temporal,
    taskQueue: session.taskQueue,
    specOf: nodes.specOf,
  };
  try {
    return await dispatch(subcommand, target, flags, deps, session, out);
  } catch (error) {
    // The service's refusals are sentences for the user; anything else keeps its own handling.
    if (
      error instanceof InvalidScheduleError ||
      error instanceof NotFoundError ||
      error instanceof SchedulerUnavailableError
    )
      throw new CliError(error.message);
    throw error;
  } finally {
    await session.close();
  }
}

async function dispatch(
  subcommand: string,
  target: string | undefined,
  flags: ScheduleFlags,
  deps: ScheduleServiceDeps,
  session: Session,
  out: Output,
): Promise<number> {
  const actor = cliAuditActor();
  const needId = (what: string) => {
    if (!target) throw new CliError(`schedules ${subcommand} needs a ${what}`);
    return target;
  };
  switch (subcommand) {
    case 'list':
      printList(await listScheduleDescriptions(deps, flags.pipeline), out);
      return 0;
    case 'create':
      return create(needId('PIPELINE_ID'), flags, deps, session, out);
    case 'pause':
    case 'resume': {
      const change = subcommand === 'pause' ? pauseSchedule : resumeSchedule;
      const schedule = await change(deps, actor, needId('SCHEDULE_ID'), flags.note);
      printOne(schedule, out, `${subcommand === 'pause' ? 'Paused' : 'Resumed'} ${schedule.id}`);
      return 0;
    }
    case 'trigger':
      await triggerSchedule(deps, actor, needId('SCHEDULE_ID'));
      out.print(
        out.json ? JSON.stringify({ id: target, triggered: true }) : `Triggered ${target}: a run starts now`,
      );
      return 0;
    case 'delete':
      await removeSchedule(deps, actor, needId('SCHEDULE_ID'));
      out.print(
        out.json ? JSON.stringify({ id: target, deleted: true }) : `Deleted ${target} (its runs stay)`,
      );
      return 0;
    case 'backfill': {
      if (!flags.from || !flags.to) throw new CliError('schedules backfill needs --from ISO and --to ISO');
      const range = await backfillSchedule(deps, actor, needId('SCHEDULE_ID'), {
        from: flags.from,
        to: flags.to,
        overlap: parseInput(backfillOverlapSchema, flags.overlap ?? 'allow', '--overlap'),
      });
      const text = `Backfill of ${target} requested: ${range.runs} runs, one for each time it would have fired from ${range.from.toISOString()} to ${range.to.toISOString()} (pipewright runs --pipeline ID shows them)`;
      out.print(out.json ? JSON.stringify({ id: target, ...range }) : text);
      return 0;
    }
    default:
      throw new CliError(`Unknown schedules subcommand "${subcommand}": use ${SUBCOMMANDS}`);
  }
}

async function create(
  pipelineId: string,
  flags: ScheduleFlags,
  deps: ScheduleServiceDeps,
  session: Session,
  out: Output,
): Promise<number> {
  const timing = timingFlags(flags);
  const pipeline = await getPipeline(deps.db, parseInput(pipelineIdSchema, pipelineId));
  const version = pipeline ? await latestVersion(deps.db, pipeline.id) : undefined;
  if (!version) throw new CliError(`No pipeline ${pipelineId} with a saved version`);
  // A file parameter is uploaded once, here; the schedule keeps the upload's path for every run.
  const parameters = await parseParamFlags(
    parsePipelineDocument(version.graph),
    flags.params,
    session.dataDir,
  );
  const schedule = await createSchedule(deps, cliAuditActor(), {
    pipelineId,
    timing,
    parameters,
    overlap:
      flags.overlap === undefined ? undefined : parseInput(scheduleOverlapSchema, flags.overlap, '--overlap'),
  });
  if (out.json) out.print(JSON.stringify({ id: schedule.id, nextRuns: schedule.nextRuns }));
  else out.print(schedule.id);
  return 0;
}

function timingFlags(flags: ScheduleFlags): Timing {
  if (flags.every && flags.cron) throw new CliError('schedules create takes --every or --cron, not both');
  if (flags.every) {
    if (flags.timezone) throw new CliError('--timezone goes with --cron');
    try {
      return parseEvery(flags.every);
    } catch (error) {
      throw new CliError(error instanceof Error ? error.message : String(error));
    }
  }
  if (flags.cron) {
    // Read as the service reads it, so the refusal names --cron's part (expression, timezone).
    return parseInput(
      timingSchema,
      { kind: 'cron', expression: flags.cron, timezone: flags.timezone },
      '--cron',
    );
  }
  throw new CliError('schedules create needs --every (e.g. 10m) or --cron (e.g. "0 6 * * *")');
}

function printList(schedules: ScheduleDescription[], out: Output): void {
  if (out.json) {
    out.print(JSON.stringify(schedules.map(jsonOf), null, 2));
    return;
  }
  if (schedules.length === 0) out.print('No schedules yet.');
  for (const schedule of schedules) {
    const next = schedule.paused ? 'paused' : (schedule.nextRuns[0]?.toISOString() ?? '—');
    out.print(
      `${schedule.id}  ${next.padEnd(24)}  ${schedule.overlap.padEnd(6)}  ${schedule.timingText}  (pipeline ${schedule.pipelineId})`,
    );
  }
}

function printOne(schedule: ScheduleDescription, out: Output, line: string): void {
  out.print(out.json ? JSON.stringify(jsonOf(schedule)) : line);
}

function jsonOf(schedule: ScheduleDescription) {
  return {
    id: schedule.id,
    pipelineId: schedule.pipelineId,
    name: schedule.name,
    timing: schedule.timing,
    timingText: schedule.timingText,
    parameters: schedule.parameters,
    pipelineVersionId: schedule.pipelineVersionId,
    overlap: schedule.overlap,
    catchupWindowSeconds: schedule.catchupWindowSeconds,
    paused: schedule.paused,
    note: schedule.note,
    nextRuns: schedule.nextRuns,
  };
}
