'use client';

import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../_server/root';
import { when } from './format';

/** One alias move, as models.ledger answers it. */
export type LedgerItem = inferRouterOutputs<AppRouter>['models']['ledger'][number];

function version(number: number | null): string {
  return number === null ? 'none' : `v${number}`;
}

function who(entry: LedgerItem): string {
  const by = entry.actorEmail ?? 'someone';
  if (entry.actorKind === 'run') return `a run started by ${by}`;
  if (entry.actorKind === 'key') return `${by} (API key)`;
  if (entry.actorKind === 'cli') return `${by} (CLI)`;
  if (entry.actorKind === 'system') return 'Pipewright';
  return by;
}

/** Every alias move, newest first: when, which alias from which version to which, who, and why. */
export function LedgerTimeline({ entries }: { entries: LedgerItem[] }) {
  if (entries.length === 0)
    return <p className="muted">No alias has been set yet. Promotions and rollbacks will be listed here.</p>;
  return (
    <ol className="ledger">
      {entries.map((entry) => (
        <li key={entry.id} className={`ledger-entry ledger-${entry.alias}`}>
          <div className="ledger-head">
            <span className={`alias-badge alias-${entry.alias}`}>{entry.alias}</span>
            <strong>
              {version(entry.fromVersion)} → {version(entry.toVersion)}
            </strong>
            {entry.kind === 'rollback' && <span className="ledger-kind">rolled back</span>}
            {entry.kind === 'reject' && <span className="ledger-kind ledger-rejected">rejected</span>}
            {entry.kind === 'promote' && entry.requestedByKind !== null && (
              <span className="ledger-kind">approved</span>
            )}
            <span className="muted audit-time">{when(entry.at)}</span>
          </div>
          <div className="ledger-body">
            <span className="muted">
              by {who(entry)}
              {entry.requestedByKind !== null &&
                `, asked for by ${entry.requestedByEmail ?? entry.requestedById ?? 'someone'}`}
            </span>
            {entry.reason && <q className="ledger-reason">{entry.reason}</q>}
            {entry.requestReason && (
              <span className="muted ledger-request-reason">request: “{entry.requestReason}”</span>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
