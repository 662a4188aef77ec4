'use client';

import Link from 'next/link';
import { authClient } from '../_account/auth-client';
import { useViewer } from '../_account/use-viewer';

/** Who is signed in (a link to their account page), their role, and signing out. */
export function AccountMenu() {
  const { me } = useViewer();
  async function signOut() {
    await authClient.signOut();
    window.location.assign('/sign-in');
  }
  if (!me) return null;
  return (
    <div className="account-menu">
      <Link href="/account" title="Your account: password and sign-out">
        {me.email} <span className="role-badge">{me.role}</span>
      </Link>
      <button type="button" className="secondary" onClick={signOut}>
        Sign out
      </button>
    </div>
  );
}
