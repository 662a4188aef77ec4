'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useState } from 'react';
import { toast } from 'sonner';
import { NeedsPermission } from '../../_account/NeedsPermission';
import { useViewer } from '../../_account/use-viewer';
import { EmptyState } from '../../_components/EmptyState';
import { ListHead } from '../../_components/ListHead';
import type { AppRouter } from '../../_server/root';
import { useTRPC } from '../../_trpc/client';
import { ConnectionForm } from './ConnectionForm';
import { TestResult } from './TestResult';

export type ListedConnection = inferRouterOutputs<AppRouter>['connections']['list'][number];

/** Which form is open: none, a new connection, or an existing one by name. */
type Editing = { mode: 'closed' } | { mode: 'new' } | { mode: 'edit'; connection: ListedConnection };

/**
 * Named PostgreSQL connections for ingest nodes: admins add, edit, test and delete stored ones;
 * the server's PIPEWRIGHT_CONNECTION_* are listed read-only. Everyone else is told the page needs an
 * admin: hosts, ports and users are not theirs to see (ingest's select shows them the names).
 */
export function ConnectionsAdmin() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { me, may } = useViewer();
  const isAdmin = may('admin');
  const list = useQuery(trpc.connections.list.queryOptions(undefined, { enabled: isAdmin }));
  const [editing, setEditing] = useState<Editing>({ mode: 'closed' });
  const [tested, setTested] = useState<Record<string, { ok: boolean; text: string }>>({});
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.connections.list.queryKey() });

  const remove = useMutation(
    trpc.connections.delete.mutationOptions({
      onSuccess: ({ name }) => {
        toast.success(`Deleted connection ${name}`);
        void refresh();
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  const test = useMutation(
    trpc.connections.test.mutationOptions({
      onSuccess: (result, input) =>
        setTested((current) => ({
          ...current,
          [input.name]: result.ok
            ? { ok: true, text: `Connected as ${result.role} (PostgreSQL ${result.serverVersion})` }
            : { ok: false, text: result.message },
        })),
      onError: (error, input) =>
        setTested((current) => ({ ...current, [input.name]: { ok: false, text: error.message } })),
    }),
  );

  if (me && !isAdmin) return <NeedsPermission permission="admin" title="Managing connections" />;
  const connections = list.data ?? [];

  return (
    <main className="list-page">
      <ListHead
        title="Connections"
        actions={
          <button
            type="button"
            className="primary"
            disabled={editing.mode === 'new'}
            onClick={() => setEditing({ mode: 'new' })}
          >
            Add connection
          </button>
        }
      >
        PostgreSQL databases that ingest nodes read from, and that Batch score steps write to where an admin
        allows it, chosen by name. Passwords are encrypted with the installation's secret key and never shown
        again.
      </ListHead>

      {editing.mode !== 'closed' && (
        <ConnectionForm
          key={editing.mode === 'edit' ? editing.connection.name : 'new'}
          existing={editing.mode === 'edit' ? editing.connection : undefined}
          onClose={() => setEditing({ mode: 'closed' })}
          onSaved={() => {
            setEditing({ mode: 'closed' });
            void refresh();
          }}
        />
      )}

      {list.error && <p className="form-error">{list.error.message}</p>}
      {list.data && connections.length === 0 && (
        <EmptyState title="No connections yet">
          Add one here, or set <code>PIPEWRIGHT_CONNECTION_&lt;NAME&gt;</code> to a postgres:// URL on the
          server and workers.
        </EmptyState>
      )}
      {connections.length > 0 && (
        <table className="data-table connections-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Database</th>
              <th>User</th>
              <th>Password</th>
              <th>Options</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {connections.map((connection) => {
              const result = tested[connection.name];
              const stored = connection.source === 'stored';
              return (
                <tr key={`${connection.source}:${connection.name}`}>
                  <td>
                    <strong>{connection.name}</strong>
                    <div>
                      {stored ? (
                        <span className="source-badge">stored</span>
                      ) : (
                        <span
                          className="source-badge source-environment"
                          title={`From PIPEWRIGHT_CONNECTION_${connection.name.toUpperCase()} on the server: change it there`}
                        >
                          environment · read-only
                        </span>
                      )}
                      {connection.shadowed && (
                        <span
                          className="source-badge"
                          title="A stored connection of the same name is used instead"
                        >
                          overridden
                        </span>
                      )}
                    </div>
                  </td>
                  <td>
                    <code>
                      {connection.host}
                      {connection.port ? `:${connection.port}` : ''}/{connection.database}
                    </code>
                  </td>
                  <td>{connection.username || <span className="muted">—</span>}</td>
                  <td>{connection.password ?? <span className="muted">none</span>}</td>
                  <td className="muted">{describeOptions(connection)}</td>
                  <td className="row-actions">
                    {/* A shadowed environment connection is not the one a test by name reaches. */}
                    {!connection.shadowed && (
                      <button
                        type="button"
                        className="link-button"
                        disabled={test.isPending && test.variables?.name === connection.name}
                        onClick={() => test.mutate({ name: connection.name })}
                      >
                        {test.isPending && test.variables?.name === connection.name ? 'Testing…' : 'Test'}
                      </button>
                    )}
                    {stored && (
                      <>
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => setEditing({ mode: 'edit', connection })}
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          className="link-button danger-link"
                          onClick={() => {
                            if (
                              window.confirm(
                                `Delete connection ${connection.name}? Pipelines that read from it will fail until it is added again.`,
                              )
                            )
                              remove.mutate({ name: connection.name });
                          }}
                        >
                          Delete
                        </button>
                      </>
                    )}
                    {result && <TestResult ok={result.ok} text={result.text} />}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </main>
  );
}

function describeOptions(connection: ListedConnection): string {
  if (!connection.options) return connection.source === 'environment' ? 'from the URL' : '—';
  const { sslmode, statementTimeoutMs, applicationName } = connection.options;
  return [
    `SSL ${sslmode}`,
    statementTimeoutMs === undefined ? undefined : `timeout ${statementTimeoutMs.toLocaleString('en')} ms`,
    applicationName ? `app “${applicationName}”` : undefined,
    connection.allowsWrites ? 'writes allowed' : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}
