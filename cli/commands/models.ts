import type { Env } from '../../config/env';
import type { DatabaseHandle } from '../../db/client';
import { listModels, listModelVersions } from '../../db/queries/model-listing';
import { listLedger } from '../../db/queries/registry';
import { type ModelAlias, modelAliasSchema } from '../../registry/version-schema';
import {
  type AliasMove,
  ModelRequestError,
  type PromotionActor,
  promoteVersion,
  requireModel,
  rollbackAlias,
} from '../../runtime/models/promotion';
import { cliAuditActor } from '../cli-audit';
import { modelDetailJson, modelDetailLines, modelListJson, modelListLines } from '../model-view';
import type { Output } from '../output';
import { CliError, openDatabase } from '../session';

/** How many models `list` prints, and how many versions and ledger entries `show` prints. */
const LIST_LIMIT = 200;
const SHOW_VERSIONS = 100;
const SHOW_LEDGER = 50;

export interface ModelsListOptions {
  search?: string;
  tag?: string;
  alias?: string;
}

export function checkedAlias(alias: string | undefined): ModelAlias | undefined {
  if (alias === undefined) return undefined;
  const parsed = modelAliasSchema.safeParse(alias);
  if (!parsed.success) throw new CliError(`--alias must be production or staging (not "${alias}")`);
  return parsed.data;
}

/** Registry refusals (no such model or version, nothing to roll back, no reason) as one line. */
export async function withModelErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw error instanceof ModelRequestError ? new CliError(error.message) : error;
  }
}

export async function withDatabase<T>(env: Env, work: (database: DatabaseHandle) => Promise<T>): Promise<T> {
  const database = openDatabase(env);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

/** `pipewright models list [--search T] [--tag T] [--alias A]`: most recently changed first. */
export async function modelsListCommand(options: ModelsListOptions, env: Env, out: Output): Promise<number> {
  const alias = checkedAlias(options.alias);
  return withDatabase(env, async ({ sql }) => {
    const models = await listModels(sql, {
      text: options.search,
      tag: options.tag?.trim() || undefined,
      alias,
      limit: LIST_LIMIT,
    });
    if (out.json) out.print(JSON.stringify(modelListJson(models), null, 2));
    else for (const line of modelListLines(models)) out.print(line);
    if (models.length === LIST_LIMIT)
      out.progress(`Showing the ${LIST_LIMIT} most recently changed models: narrow with --search or --tag.`);
    return 0;
  });
}

/** `pipewright models show NAME`: the versions with their aliases and metrics, and the ledger. */
export async function modelsShowCommand(name: string, env: Env, out: Output): Promise<number> {
  return withDatabase(env, async ({ sql }) => {
    const registered = await withModelErrors(requireModel(sql, name));
    const [model] = await listModels(sql, { id: registered.id, limit: 1 });
    if (!model) throw new CliError(`There is no model named ${name}.`);
    const detail = {
      model,
      versions: await listModelVersions(sql, model.id, { limit: SHOW_VERSIONS }),
      ledger: await listLedger(sql, model.id, SHOW_LEDGER),
    };
    if (out.json) out.print(JSON.stringify(modelDetailJson(detail), null, 2));
    else for (const line of modelDetailLines(detail)) out.print(line);
    if (detail.versions.length < model.versionCount)
      out.progress(`Showing the ${detail.versions.length} newest of ${model.versionCount} versions.`);
    if (detail.ledger.length === SHOW_LEDGER)
      out.progress(`Showing the ${SHOW_LEDGER} latest ledger entries.`);
    return 0;
  });
}

/** The CLI in the ledger and the audit log: kind `cli` and the OS account that ran the command. */
export function cliPromotionActor(): PromotionActor {
  const audit = cliAuditActor();
  return {
    // The ledger has no details column: the OS account is its actor id (there is no Pipewright account).
    ledger: { actorKind: 'cli', actorId: audit.details.osUser, actorEmail: null },
    audit,
  };
}

function printMove(move: AliasMove, verb: string, out: Output): void {
  if (move.pending && !out.json) {
    out.print(
      `Awaiting approval: ${move.model} requires an operator's approval to promote to production. Version ${move.pending.version} is pending (request ${move.pending.id}); production stays ${move.from === null ? 'unset' : `v${move.from}`}.`,
    );
    return;
  }
  out.print(
    out.json
      ? JSON.stringify(move)
      : `${verb} ${move.model}: ${move.alias} is now v${move.to ?? '—'} (was ${move.from === null ? 'unset' : `v${move.from}`}). Serving switches within 2 seconds.`,
  );
}

function checkedReason(reason: string | undefined): string {
  if (reason === undefined || reason.trim() === '')
    throw new CliError('--reason is required: say why, the ledger keeps it');
  return reason;
}

export interface PromoteOptions {
  alias?: string;
  reason?: string;
}

/** `pipewright models promote NAME VERSION [--alias production|staging] --reason "…"`. */
export async function modelsPromoteCommand(
  name: string,
  versionText: string | undefined,
  options: PromoteOptions,
  env: Env,
  out: Output,
): Promise<number> {
  if (versionText === undefined || !/^[1-9]\d{0,8}$/.test(versionText))
    throw new CliError(
      `models promote needs a VERSION number after the model name${versionText === undefined ? '' : ` (not "${versionText}")`}`,
    );
  const alias = checkedAlias(options.alias) ?? 'production';
  const reason = checkedReason(options.reason);
  return withDatabase(env, async (handles) => {
    const move = await withModelErrors(
      promoteVersion(
        handles,
        { model: name, version: Number(versionText), alias, reason },
        cliPromotionActor(),
      ),
    );
    printMove(move, 'Promoted', out);
    return 0;
  });
}

/** `pipewright models rollback NAME [--alias A] --reason "…"`: the alias goes back one step of its ledger. */
export async function modelsRollbackCommand(
  name: string,
  options: PromoteOptions,
  env: Env,
  out: Output,
): Promise<number> {
  const alias = checkedAlias(options.alias) ?? 'production';
  const reason = checkedReason(options.reason);
  return withDatabase(env, async (handles) => {
    const move = await withModelErrors(
      rollbackAlias(handles, { model: name, alias, reason }, cliPromotionActor()),
    );
    printMove(move, 'Rolled back', out);
    return 0;
  });
}
