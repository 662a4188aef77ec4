'use client';

import { useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useState } from 'react';
import { useViewer } from '../_account/use-viewer';
import { when } from '../_models/format';
import type { AppRouter } from '../_server/root';
import { useTRPC } from '../_trpc/client';
import { DecisionDialog } from './DecisionDialog';

export type PromotionRequestItem = inferRouterOutputs<AppRouter>['rollout']['requests'][number];

function requester(item: PromotionRequestItem): string {
  if (item.requestedByKind === 'run') return `a run started by ${item.requestedBy}`;
  if (item.requestedByKind === 'cli') return `${item.requestedBy} (CLI)`;
  return item.requestedBy;
}

/**
 * Promotions to production waiting for approval, with Approve and Reject for operators (not for
 * the person who asked: four eyes), and the latest decided ones below.
 */
export function PromotionRequests({ name }: { name: string }) {
  const trpc = useTRPC();
  const { me, may, whyNot } = useViewer();
  const requests = useQuery(trpc.rollout.requests.queryOptions({ name }));
  const [deciding, setDeciding] = useState<{ item: PromotionRequestItem; decision: 'approve' | 'reject' }>();
  const items = requests.data ?? [];
  const pending = items.filter((item) => item.status === 'pending');
  const decided = items.filter((item) => item.status !== 'pending');
  const refusal = (item: PromotionRequestItem) =>
    whyNot('promote') ??
    (me && item.requestedById === me.userId
      ? 'You asked for this promotion: another operator approves or rejects it.'
      : undefined);

  return (
    <section className="panel" aria-labelledby="pending-heading">
      <div className="chart-head">
        <h2 id="pending-heading">
          Pending promotions{' '}
          {pending.length > 0 && <span className="tab-count tab-count-warn">{pending.length}</span>}
        </h2>
        <span className="muted panel-note">Promotions to production waiting for an operator's approval.</span>
      </div>
      {requests.error && <p className="error-text">{requests.error.message}</p>}
      {requests.data && pending.length === 0 && (
        <p className="muted">
          Nothing is waiting. With “Promotion to production requires approval” on, a promotion to production
          is listed here until another operator approves or rejects it.
        </p>
      )}
      {pending.length > 0 && (
        <table className="data-table rollout-requests">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Asked for by</th>
              <th scope="col">When</th>
              <th scope="col">Reason</th>
              <th scope="col">
                <span className="visually-hidden">Decision</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pending.map((item) => {
              const why = refusal(item);
              return (
                <tr key={item.id}>
                  <td>
                    <strong>v{item.version}</strong>
                    <span className="muted">
                      {' '}
                      (production {item.fromVersion === null ? 'unset' : `v${item.fromVersion}`})
                    </span>
                  </td>
                  <td>{requester(item)}</td>
                  <td>{when(item.requestedAt)}</td>
                  <td className="rollout-reason">{item.reason || '—'}</td>
                  <td className="rollout-decide">
                    <button
                      type="button"
                      disabled={why !== undefined || !may('promote')}
                      title={why ?? `Approve: production moves to version ${item.version}`}
                      onClick={() => setDeciding({ item, decision: 'approve' })}
                    >
                      Approve…
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      disabled={why !== undefined || !may('promote')}
                      title={why ?? 'Reject, saying why'}
                      onClick={() => setDeciding({ item, decision: 'reject' })}
                    >
                      Reject…
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {decided.length > 0 && (
        <>
          <h3>Decided</h3>
          <ul className="rollout-decided">
            {decided.map((item) => (
              <li key={item.id}>
                <span className={`request-status request-${item.status}`}>{item.status}</span> v{item.version}
                , asked for by {requester(item)}; {item.status} by {item.decidedBy ?? 'someone'}
                {item.decidedAt && ` on ${when(item.decidedAt)}`}
                {item.decisionReason && (
                  <>
                    : <q className="ledger-reason">{item.decisionReason}</q>
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {deciding && (
        <DecisionDialog
          name={name}
          item={deciding.item}
          decision={deciding.decision}
          onClose={() => setDeciding(undefined)}
        />
      )}
    </section>
  );
}
