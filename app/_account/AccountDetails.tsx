'use client';

import { permissionActions, roleMay } from '../../access/roles';
import { authClient } from './auth-client';
import { useViewer } from './use-viewer';

/** The signed-in user's name, email and role (with what it allows), and signing out. */
export function AccountDetails() {
  const { me } = useViewer();
  async function signOut() {
    await authClient.signOut();
    window.location.assign('/sign-in');
  }
  if (!me) return <p className="muted">Loading your account…</p>;
  const allowed = (['read', 'edit', 'run', 'promote', 'schedule', 'admin'] as const)
    .filter((permission) => roleMay(me.role, permission))
    .map((permission) => permissionActions[permission]);
  return (
    <section className="panel" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <dl className="details-list">
        <dt>Name</dt>
        <dd>{me.name}</dd>
        <dt>Email</dt>
        <dd>{me.email}</dd>
        <dt>Role</dt>
        <dd>
          <span className="role-badge">{me.role}</span>{' '}
          <span className="muted">
            You may {[...new Set(allowed)].join('; ')}. An admin changes roles on the Users page.
          </span>
        </dd>
      </dl>
      <button type="button" className="secondary" onClick={signOut}>
        Sign out
      </button>
    </section>
  );
}
