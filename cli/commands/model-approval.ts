import type { Env } from '../../config/env';
import { listPromotionRequests } from '../../db/queries/promotion-requests';
import { decidePromotion } from '../../runtime/models/approval';
import { requireModel } from '../../runtime/models/promotion';
import type { Output } from '../output';
import { CliError } from '../session';
import { cliPromotionActor, withDatabase, withModelErrors } from './models';

/**
 * `pipewright models pending NAME` and `models approve|reject NAME REQUEST --reason "…"`: the
 * promotions to production waiting for approval, and their decision, as on the Rollout tab. The
 * CLI decides as the OS account that runs it, which may not decide a promotion it asked for.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function modelsPendingCommand(name: string, env: Env, out: Output): Promise<number> {
  return withDatabase(env, async ({ sql }) => {
    const model = await withModelErrors(requireModel(sql, name));
    const pending = (await listPromotionRequests(sql, model.id, 0)).filter(
      (each) => each.status === 'pending',
    );
    if (out.json) {
      out.print(JSON.stringify(pending, null, 2));
      return 0;
    }
    if (pending.length === 0) out.print(`No promotion of ${model.name} waits for approval.`);
    for (const each of pending)
      out.print(
        `${each.id}  v${each.version} (production ${each.fromVersion === null ? 'unset' : `v${each.fromVersion}`})  asked for by ${each.requestedByEmail ?? each.requestedById ?? 'someone'} (${each.requestedByKind}) at ${each.requestedAt.toISOString()}: ${each.reason}`,
      );
    return 0;
  });
}

export async function modelsDecideCommand(
  name: string,
  requestId: string | undefined,
  decision: 'approve' | 'reject',
  options: { reason?: string },
  env: Env,
  out: Output,
): Promise<number> {
  if (requestId === undefined || !UUID.test(requestId))
    throw new CliError(
      `models ${decision} needs the REQUEST id after the model name, as models pending prints it${requestId === undefined ? '' : ` (not "${requestId.slice(0, 40)}")`}`,
    );
  if (decision === 'reject' && (options.reason === undefined || options.reason.trim() === ''))
    throw new CliError('--reason is required to reject: say why, the ledger keeps it');
  return withDatabase(env, async (handles) => {
    const decided = await withModelErrors(
      decidePromotion(
        handles,
        { model: name, requestId, decision, reason: options.reason ?? '' },
        cliPromotionActor(),
      ),
    );
    out.print(
      out.json
        ? JSON.stringify(decided)
        : decided.status === 'approved'
          ? `Approved: ${decided.model} production is now v${decided.to} (was ${decided.from === null ? 'unset' : `v${decided.from}`}). Serving switches within 2 seconds.`
          : `Rejected: ${decided.model} production stays ${decided.from === null ? 'unset' : `v${decided.from}`}.`,
    );
    return 0;
  });
}
