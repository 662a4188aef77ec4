import type { Database, Sql } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import { decidePromotionRequest } from '../../db/queries/promotion-requests';
import {
  type AliasMove,
  checkedReason,
  ModelRequestError,
  type PromotionActor,
  requireModel,
} from './promotion';

/**
 * Deciding a promotion to production that waits for approval, shared by the app and the CLI: the
 * checks, the decision with its ledger entry (db/queries/promotion-requests.ts), and the audit log.
 * Who may decide (the promote permission) is the caller's check; that nobody decides their own
 * request is checked here, under the model's lock.
 */

const MAX_NOTE = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PromotionDecision {
  model: string;
  requestId: string;
  decision: 'approve' | 'reject';
  /** Required to reject (the requester reads why); optional to approve. */
  reason: string;
}

export async function decidePromotion(
  handles: { sql: Sql; db: Database },
  request: PromotionDecision,
  by: PromotionActor,
): Promise<AliasMove & { status: 'approved' | 'rejected' }> {
  const reason = request.decision === 'reject' ? checkedReason(request.reason) : approvalNote(request.reason);
  const model = await requireModel(handles.sql, request.model);
  if (!UUID.test(request.requestId))
    throw new ModelRequestError(
      `${model.name} has no promotion request ${request.requestId.slice(0, 40)}.`,
      'not-found',
    );
  const outcome = await decidePromotionRequest(handles.sql, {
    modelId: model.id,
    requestId: request.requestId,
    decision: request.decision,
    by: { ...by.ledger, reason },
  });
  if (!outcome.ok) {
    switch (outcome.reason) {
      case 'not-found':
        throw new ModelRequestError(
          `${model.name} has no promotion request ${request.requestId}.`,
          'not-found',
        );
      case 'decided':
        throw new ModelRequestError(`This promotion request was ${outcome.status} already.`, 'conflict');
      case 'own-request':
        throw new ModelRequestError(
          'You asked for this promotion, so another operator must approve or reject it (four eyes).',
          'forbidden',
        );
      case 'already-production':
        throw new ModelRequestError(
          `Version ${outcome.version} is already ${model.name}'s production version; reject this request instead.`,
          'conflict',
        );
    }
  }
  await recordAudit(handles.db, {
    ...by.audit,
    action: outcome.status === 'approved' ? 'model.promotion-approved' : 'model.promotion-rejected',
    objectType: 'model',
    objectId: model.id,
    objectLabel: model.name,
    details: { ...by.audit.details, alias: 'production', from: outcome.from, to: outcome.version, reason },
  });
  return {
    model: model.name,
    alias: 'production',
    from: outcome.from,
    to: outcome.status === 'approved' ? outcome.version : outcome.from,
    status: outcome.status,
  };
}

function approvalNote(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length > MAX_NOTE)
    throw new ModelRequestError(`A reason has at most ${MAX_NOTE} characters.`, 'invalid');
  return trimmed;
}
