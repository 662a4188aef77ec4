import type { Database, Sql } from '../../db/client';
import { type AuditEntry, recordAudit } from '../../db/queries/audit';
import {
  AliasMovedError,
  findModelByName,
  findModelVersion,
  findRollbackTarget,
  type LedgerEntryInput,
  modelAliasVersions,
  type RegisteredModel,
  setModelAlias,
} from '../../db/queries/registry';
import type { ModelAlias } from '../../registry/version-schema';

/**
 * Promoting a version to an alias and rolling an alias back, shared by the app's models procedures
 * and `pipewright models`: one place checks the request, moves the alias with its ledger entry, and
 * writes the audit log. Who may do it (the promote permission) is the caller's check.
 */

/** A request about a model that cannot be done as asked; its message says why. */
export class ModelRequestError extends Error {
  override name = 'ModelRequestError';
  constructor(
    message: string,
    readonly reason: 'not-found' | 'conflict' | 'invalid' | 'forbidden',
  ) {
    super(message);
  }
}

/** Who acts: the ledger's fields and the audit log's. */
export interface PromotionActor {
  ledger: Omit<LedgerEntryInput, 'reason'>;
  audit: Pick<AuditEntry, 'actorKind' | 'actorId' | 'actorEmail' | 'ipAddress'> & {
    details?: Record<string, unknown>;
  };
}

export interface AliasMove {
  model: string;
  alias: ModelAlias;
  from: number | null;
  to: number | null;
  /**
   * The model requires approval for production: the alias did not move (to equals from) and this
   * promotion request waits for an operator (runtime/models/approval.ts).
   */
  pending?: { id: string; version: number };
}

const MAX_REASON = 500;

export async function requireModel(sql: Sql, name: string): Promise<RegisteredModel> {
  const model = await findModelByName(sql, name);
  if (!model) throw new ModelRequestError(`There is no model named ${name}.`, 'not-found');
  return model;
}

export function checkedReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed === '') throw new ModelRequestError('Give a reason: the ledger keeps it.', 'invalid');
  if (trimmed.length > MAX_REASON)
    throw new ModelRequestError(`A reason has at most ${MAX_REASON} characters.`, 'invalid');
  return trimmed;
}

/** Points `alias` at `version`; refuses a version that does not exist or already holds the alias. */
export async function promoteVersion(
  handles: { sql: Sql; db: Database },
  request: { model: string; version: number; alias: ModelAlias; reason: string },
  by: PromotionActor,
): Promise<AliasMove> {
  const reason = checkedReason(request.reason);
  const model = await requireModel(handles.sql, request.model);
  if (!(await findModelVersion(handles.sql, model.id, request.version)))
    throw new ModelRequestError(`${model.name} has no version ${request.version}.`, 'not-found');
  return moveAlias(handles, model, request.alias, request.version, reason, by, { kind: 'promote' });
}

/**
 * Points `alias` back at the version it held before the latest promotion still in effect (see
 * findRollbackTarget: rolling back twice after v1→v2→v3 goes to v2, then v1). Refused when the alias
 * is unset, when it held no version before that promotion, or when it moves while this runs.
 */
export async function rollbackAlias(
  handles: { sql: Sql; db: Database },
  request: { model: string; alias: ModelAlias; reason: string },
  by: PromotionActor,
): Promise<AliasMove> {
  const reason = checkedReason(request.reason);
  const model = await requireModel(handles.sql, request.model);
  const current = (await modelAliasVersions(handles.sql, model.id))[request.alias];
  if (current === undefined)
    throw new ModelRequestError(`${model.name} has no ${request.alias} version to roll back.`, 'conflict');
  const target = await findRollbackTarget(handles.sql, model.id, request.alias);
  if (target?.version === null || target?.version === undefined)
    throw new ModelRequestError(
      `${model.name} had no ${request.alias} version before version ${current} was promoted: there is nothing to roll back to. Promote another version instead.`,
      'conflict',
    );
  // The target was read from the alias at `current` and its ledger up to `newestEntry`: if either
  // moves before the change takes the model's lock, the change is refused rather than undoing a
  // promotion this rollback never saw.
  return moveAlias(handles, model, request.alias, target.version, reason, by, {
    kind: 'rollback',
    expected: current,
    expectedEntry: target.newestEntry,
  });
}

async function moveAlias(
  handles: { sql: Sql; db: Database },
  model: RegisteredModel,
  alias: ModelAlias,
  version: number,
  reason: string,
  by: PromotionActor,
  move: { kind: 'promote' } | { kind: 'rollback'; expected: number; expectedEntry: number },
): Promise<AliasMove> {
  const moved = await setModelAlias(handles.sql, {
    modelId: model.id,
    alias,
    version,
    by: { ...by.ledger, reason },
    ...move,
  }).catch((error: unknown) => {
    if (!(error instanceof AliasMovedError)) throw error;
    const now = error.current === null ? 'was cleared' : `moved to version ${error.current}`;
    throw new ModelRequestError(
      `${capitalised(alias)} ${now} while you were ${move.kind === 'promote' ? 'promoting' : 'rolling back'}; look again.`,
      'conflict',
    );
  });
  if (moved.pending) {
    await recordAudit(handles.db, {
      ...by.audit,
      action: 'model.promotion-requested',
      objectType: 'model',
      objectId: model.id,
      objectLabel: model.name,
      details: { ...by.audit.details, alias, from: moved.from, to: version, reason },
    });
    return {
      model: model.name,
      alias,
      from: moved.from,
      to: moved.from,
      pending: { id: moved.pending.id, version },
    };
  }
  if (!moved.changed)
    throw new ModelRequestError(
      `Version ${version} is already ${model.name}'s ${alias} version.`,
      'conflict',
    );
  await recordAudit(handles.db, {
    ...by.audit,
    action: move.kind === 'promote' ? 'model.promoted' : 'model.rolled-back',
    objectType: 'model',
    objectId: model.id,
    objectLabel: model.name,
    details: { ...by.audit.details, alias, from: moved.from, to: moved.to, reason },
  });
  return { model: model.name, alias, from: moved.from, to: moved.to };
}

export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
