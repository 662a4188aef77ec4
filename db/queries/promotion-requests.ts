import type { Sql, Transaction } from '../client';
import type { PromotionRequestStatus } from '../rollout-schema';
import { dateOf } from './pool-dates';
import { aliasVersionNow, appendLedger, type LedgerEntryInput, moveAliasLocked } from './registry';

/**
 * Promotions to production waiting for an operator's approval (setModelAlias creates them when the
 * model's rollout settings require approval), and their decision: approval moves the alias, a
 * rejection leaves it; both append a ledger entry naming who asked and who decided.
 */

export interface PromotionRequestRow {
  id: string;
  modelId: string;
  version: number;
  fromVersion: number | null;
  status: PromotionRequestStatus;
  requestedAt: Date;
  requestedByKind: LedgerEntryInput['actorKind'];
  requestedById: string | null;
  requestedByEmail: string | null;
  runId: string | null;
  reason: string;
  decidedAt: Date | null;
  decidedById: string | null;
  decidedByEmail: string | null;
  decisionReason: string | null;
}

const requestColumns = (sql: Sql | Transaction) => sql`
  id, model_id as "modelId", version, from_version as "fromVersion", status, requested_at as "requestedAt",
  requested_by_kind as "requestedByKind", requested_by_id as "requestedById",
  requested_by_email as "requestedByEmail", run_id as "runId", reason, decided_at as "decidedAt",
  decided_by_id as "decidedById", decided_by_email as "decidedByEmail", decision_reason as "decisionReason"`;

/** A model's requests: the pending ones first (oldest first), then the latest decided ones. */
export async function listPromotionRequests(
  sql: Sql,
  modelId: string,
  decidedLimit = 20,
): Promise<PromotionRequestRow[]> {
  const pending = await sql<PromotionRequestRow[]>`
    select ${requestColumns(sql)} from promotion_requests
    where model_id = ${modelId} and status = 'pending' order by requested_at, id`;
  const decided = await sql<PromotionRequestRow[]>`
    select ${requestColumns(sql)} from promotion_requests
    where model_id = ${modelId} and status <> 'pending' order by decided_at desc, id limit ${decidedLimit}`;
  // The shared pool hands timestamps over as text (pool-dates.ts).
  return [...pending, ...decided].map((row) => ({
    ...row,
    requestedAt: dateOf(row.requestedAt),
    decidedAt: dateOf(row.decidedAt),
  }));
}

/** Why a decision was not made; nothing was written. */
export type DecisionRefusal =
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'decided'; status: PromotionRequestStatus }
  | { ok: false; reason: 'own-request' }
  | { ok: false; reason: 'already-production'; version: number };

export type DecisionOutcome =
  | { ok: true; modelId: string; version: number; from: number | null; status: 'approved' | 'rejected' }
  | DecisionRefusal;

/**
 * Approves or rejects a pending request, under the model's row lock (as every alias move): the
 * request is read again under it, so two operators deciding at once decide it once.
 *
 * Four eyes: whoever asked may not decide their own request, even as an admin (as SageMaker's and
 * Azure ML's approval flows have it). Runs ask for the person they act for, so starting a run that
 * promotes does not let that person approve it either. The local CLI, which has no account, is
 * told apart by the OS user it names.
 */
export async function decidePromotionRequest(
  sql: Sql,
  input: {
    modelId: string;
    requestId: string;
    decision: 'approve' | 'reject';
    by: LedgerEntryInput;
  },
): Promise<DecisionOutcome> {
  return sql.begin(async (tx): Promise<DecisionOutcome> => {
    await tx`select id from registered_models where id = ${input.modelId} for update`;
    const [request] = await tx<PromotionRequestRow[]>`
      select ${requestColumns(tx)} from promotion_requests
      where id = ${input.requestId} and model_id = ${input.modelId} for update`;
    if (!request) return { ok: false, reason: 'not-found' };
    if (request.status !== 'pending') return { ok: false, reason: 'decided', status: request.status };
    if (sameRequester(request, input.by)) return { ok: false, reason: 'own-request' };
    const from = await aliasVersionNow(tx, input.modelId, 'production');
    if (input.decision === 'approve' && from === request.version)
      return { ok: false, reason: 'already-production', version: request.version };
    const requestedBy = {
      kind: request.requestedByKind,
      id: request.requestedById,
      email: request.requestedByEmail,
      reason: request.reason,
    };
    if (input.decision === 'approve')
      await moveAliasLocked(tx, {
        modelId: input.modelId,
        alias: 'production',
        version: request.version,
        from,
        by: input.by,
        kind: 'promote',
        requestedBy,
      });
    else
      await appendLedger(tx, {
        modelId: input.modelId,
        alias: 'production',
        kind: 'reject',
        from,
        version: request.version,
        by: input.by,
        requestedBy,
      });
    const status = input.decision === 'approve' ? 'approved' : 'rejected';
    await tx`
      update promotion_requests set status = ${status}, decided_at = now(), decided_by_id = ${input.by.actorId},
        decided_by_email = ${input.by.actorEmail}, decision_reason = ${input.by.reason}
      where id = ${request.id}`;
    return { ok: true, modelId: input.modelId, version: request.version, from, status };
  });
}

function sameRequester(request: PromotionRequestRow, by: LedgerEntryInput): boolean {
  if (request.requestedById !== null && by.actorId !== null) return request.requestedById === by.actorId;
  // Neither has an account (the local CLI): the OS user it names tells them apart.
  return request.requestedById === null && by.actorId === null && request.requestedByEmail === by.actorEmail;
}
