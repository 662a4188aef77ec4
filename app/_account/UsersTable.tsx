'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { roleSchema, roles } from '../../access/roles';
import { useTRPC } from '../_trpc/client';
import { useViewer } from './use-viewer';

/** Every account with its role (a select), its state and last sign-in, and deactivate / reactivate. */
export function UsersTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { me } = useViewer();
  const users = useQuery(trpc.users.list.queryOptions());
  const settled = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const fail = { onError: (error: { message: string }) => toast.error(error.message), onSettled: settled };
  const changeRole = useMutation(
    trpc.users.changeRole.mutationOptions({
      ...fail,
      onSuccess: ({ role }) => toast.success(`Role changed to ${role}`),
    }),
  );
  const deactivate = useMutation(trpc.users.deactivate.mutationOptions(fail));
  const reactivate = useMutation(trpc.users.reactivate.mutationOptions(fail));

  if (users.error) return <p className="error-text">{users.error.message}</p>;
  if (!users.data) return <p className="muted">Loading users…</p>;
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th>Name</th>
          <th>Email</th>
          <th>Role</th>
          <th>Status</th>
          <th>Created</th>
          <th>Last sign-in</th>
          <th>
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {users.data.map((user) => {
          const self = user.id === me?.userId;
          return (
            <tr key={user.id} className={user.deactivated ? 'row-inactive' : undefined}>
              <td>
                {user.name}
                {self && <span className="muted"> (you)</span>}
              </td>
              <td>{user.email}</td>
              <td>
                <select
                  aria-label={`Role of ${user.email}`}
                  value={user.role}
                  // One's own role is changed by another admin: no demoting oneself by a slip.
                  disabled={changeRole.isPending || self}
                  title={self ? 'Another admin changes your role' : undefined}
                  onChange={(event) => {
                    const role = roleSchema.safeParse(event.target.value);
                    if (role.success) changeRole.mutate({ userId: user.id, role: role.data });
                  }}
                >
                  {roles.map((role) => (
                    <option key={role} value={role}>
                      {role}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <span className={`state-badge ${user.deactivated ? 'state-off' : 'state-on'}`}>
                  {user.deactivated ? 'Deactivated' : 'Active'}
                </span>
              </td>
              <td>{user.createdAt.toLocaleString()}</td>
              <td>
                {user.lastSignInAt ? (
                  user.lastSignInAt.toLocaleString()
                ) : (
                  <span className="muted">never</span>
                )}
              </td>
              <td className="row-actions">
                {user.deactivated ? (
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => reactivate.mutate({ userId: user.id })}
                  >
                    Reactivate
                  </button>
                ) : (
                  <button
                    type="button"
                    className="link-button danger-link"
                    disabled={self}
                    title={self ? 'You cannot deactivate your own account: ask another admin.' : undefined}
                    onClick={() => {
                      const sure = window.confirm(
                        `Deactivate ${user.email}? They are signed out at once and their API keys stop working.`,
                      );
                      if (sure) deactivate.mutate({ userId: user.id });
                    }}
                  >
                    Deactivate
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
