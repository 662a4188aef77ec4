'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { toast } from 'sonner';
import { type Role, roleSchema, roles } from '../../access/roles';
import { useTRPC } from '../_trpc/client';
import { OneTimeSecret } from './OneTimeSecret';

interface MadeLink {
  link: string;
  role: Role;
  email?: string;
  expiresAt: Date;
}

/** Make an invite link (shown once, with a Copy button), and see or withdraw the links still open. */
export function InvitePanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<Role>('viewer');
  const [email, setEmail] = useState('');
  const [made, setMade] = useState<MadeLink>();
  const open = useQuery(trpc.users.invites.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.invites.queryKey() });
  const invite = useMutation(
    trpc.users.invite.mutationOptions({
      onSuccess: (answer, input) => {
        setMade({ link: answer.link, role: input.role, email: input.email, expiresAt: answer.expiresAt });
        setEmail('');
        void refresh();
      },
    }),
  );
  const revoke = useMutation(
    trpc.users.revokeInvite.mutationOptions({
      onSuccess: () => toast.success('Invite withdrawn: its link no longer works'),
      onError: (error) => toast.error(error.message),
      onSettled: refresh,
    }),
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setMade(undefined);
    invite.mutate({ role, email: email.trim() || undefined });
  }

  return (
    <section className="panel" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite someone</h2>
      <form className="inline-form" onSubmit={submit}>
        <label>
          Role
          <select
            value={role}
            onChange={(event) => {
              const picked = roleSchema.safeParse(event.target.value);
              if (picked.success) setRole(picked.data);
            }}
          >
            {roles.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </label>
        <label>
          Email (optional)
          <input
            type="email"
            value={email}
            placeholder="name@example.com"
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <button type="submit" className="primary" disabled={invite.isPending}>
          {invite.isPending ? 'Creating…' : 'Create invite link'}
        </button>
      </form>
      <p className="muted form-hint">
        The link works once, for 7 days. With an email, only that address may use it; without one, anyone who
        has the link may.
      </p>
      {invite.error && (
        <p className="form-error" role="alert">
          {invite.error.message}
        </p>
      )}
      {made && (
        <OneTimeSecret
          label="Invite link"
          what="link"
          value={made.link}
          onDone={() => {
            setMade(undefined);
            // The mutation's cache holds the secret too: forget it with the panel.
            invite.reset();
          }}
        >
          <strong>Invite link for {made.email ?? `anyone, as ${made.role}`}</strong>
          {made.email ? ` (${made.role})` : ''}. It is shown only now: copy it and send it. It works once,
          until {made.expiresAt.toLocaleString()}.
        </OneTimeSecret>
      )}
      <h3>Open invites</h3>
      {open.error && <p className="error-text">{open.error.message}</p>}
      {open.data?.length === 0 && (
        <p className="muted">No open invites: every link was used, withdrawn or expired.</p>
      )}
      {open.data && open.data.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th>For</th>
              <th>Role</th>
              <th>Created</th>
              <th>Expires</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {open.data.map((row) => (
              <tr key={row.id}>
                <td>{row.email ?? <span className="muted">anyone with the link</span>}</td>
                <td>{row.role}</td>
                <td>{row.createdAt.toLocaleString()}</td>
                <td>{row.expiresAt.toLocaleString()}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="link-button danger-link"
                    disabled={revoke.isPending}
                    onClick={() => revoke.mutate({ inviteId: row.id })}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
