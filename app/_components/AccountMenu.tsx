'use client';

import Link from 'next/link';
import { authClient } from '../_account/auth-client';
import { useViewer } from '../_account/use-viewer';

/**
 * Who is signed in (a link to their account page), their role, and signing out. `compact` (the
 * editor's full bar) shows the name before the @ only; the whole address is in the tooltip.
 */
export function AccountMenu({ compact = false }: { compact?: boolean }) {
  const { me } = useViewer();
  async function signOut() {
    await authClient.signOut();
    window.location.assign('/sign-in');
  }
  if (!me) return null;
  return (
    <div className="account-menu">
      <Link href="/account" title={`${me.email}: your account, password and sign-out`}>
        <span className="account-email">{compact ? me.email.split('@')[0] : me.email}</span>{' '}
        <span className="role-badge">{me.role}</span>
      </Link>
      <button type="button" className="secondary" onClick={signOut}>
        Sign out
      </button>
    </div>
  );
}
