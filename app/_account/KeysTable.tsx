'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useState } from 'react';
import { toast } from 'sonner';
import type { AppRouter } from '../_server/root';
import { useTRPC } from '../_trpc/client';

type ListedKey = inferRouterOutputs<AppRouter>['keys']['list'][number];

function when(date: Date | null): string {
  return date ? date.toLocaleString() : 'never';
}

/**
 * Keys as a table: prefix, name, scope, created, last used, and Revoke behind a confirmation in the
 * row. `everyone` is the admins' view: every account's keys with their owner, revoked with revokeAny.
 */
export function KeysTable({ keys, everyone }: { keys: ListedKey[]; everyone: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<string>();
  const options = {
    onSuccess: ({ start }: { start: string }) =>
      toast.success(`Key ${start}… revoked: requests with it are refused`),
    onError: (error: { message: string }) => toast.error(error.message),
    onSettled: () => {
      setConfirming(undefined);
      void queryClient.invalidateQueries({ queryKey: trpc.keys.list.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.keys.listAll.queryKey() });
    },
  };
  const revokeOwn = useMutation(trpc.keys.revoke.mutationOptions(options));
  const revokeAny = useMutation(trpc.keys.revokeAny.mutationOptions(options));
  const revoke = everyone ? revokeAny : revokeOwn;

  if (keys.length === 0) {
    return <p className="muted">{everyone ? 'Nobody has an API key yet.' : 'You have no API keys yet.'}</p>;
  }
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th>Key</th>
          <th>Name</th>
          {everyone && <th>Owner</th>}
          <th>Scope</th>
          <th>Created</th>
          <th>Last used</th>
          <th>Status</th>
          <th>
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => (
          <tr key={key.id} className={key.revoked ? 'row-inactive' : undefined}>
            <td>
              <code>{key.start}…</code>
            </td>
            <td>{key.name}</td>
            {everyone && <td>{key.ownerEmail}</td>}
            <td>
              {key.scope ?? 'unknown'}
              {key.models && <span className="muted"> ({key.models.join(', ')})</span>}
            </td>
            <td>{when(key.createdAt)}</td>
            <td>{when(key.lastUsedAt)}</td>
            <td>
              <span className={`state-badge ${key.revoked ? 'state-off' : 'state-on'}`}>
                {key.revoked ? 'revoked' : 'active'}
              </span>
            </td>
            <td className="row-actions">
              {!key.revoked && confirming !== key.id && (
                <button
                  type="button"
                  className="link-button danger-link"
                  onClick={() => setConfirming(key.id)}
                >
                  Revoke
                </button>
              )}
              {!key.revoked && confirming === key.id && (
                <>
                  <span>Revoke {key.start}…? </span>
                  <button
                    type="button"
                    className="link-button danger-link"
                    disabled={revoke.isPending}
                    onClick={() => revoke.mutate({ keyId: key.id })}
                  >
                    Yes, revoke
                  </button>{' '}
                  <button type="button" className="link-button" onClick={() => setConfirming(undefined)}>
                    Keep
                  </button>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
