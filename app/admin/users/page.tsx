'use client';

import { InvitePanel } from '../../_account/InvitePanel';
import { NeedsPermission } from '../../_account/NeedsPermission';
import { UsersTable } from '../../_account/UsersTable';
import { useViewer } from '../../_account/use-viewer';
import { AppShell } from '../../_components/AppShell';

/** Admins: every account and its role, deactivation, and invite links. */
export default function UsersPage() {
  const { me, may } = useViewer();
  return (
    <AppShell>
      {me && !may('admin') ? (
        <NeedsPermission permission="admin" title="Managing users" />
      ) : (
        <main className="list-page">
          <div className="list-head">
            <h1>Users</h1>
          </div>
          <p className="muted page-intro">
            Roles: a <strong>viewer</strong> reads pipelines, runs and models; an <strong>editor</strong> also
            edits and runs pipelines; an <strong>operator</strong> also promotes models and manages schedules
            and monitors; an <strong>admin</strong> may do everything, including users, keys and connections.
            Deactivating signs the user out at once and stops their API keys.
          </p>
          {me && (
            <>
              <UsersTable />
              <InvitePanel />
            </>
          )}
        </main>
      )}
    </AppShell>
  );
}
