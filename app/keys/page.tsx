'use client';

import { useQuery } from '@tanstack/react-query';
import { KeyCreateForm } from '../_account/KeyCreateForm';
import { KeysTable } from '../_account/KeysTable';
import { useViewer } from '../_account/use-viewer';
import { AppShell } from '../_components/AppShell';
import { useTRPC } from '../_trpc/client';

/** One's own API keys: create (shown once), list, revoke. Admins also see and revoke everyone's. */
export default function KeysPage() {
  const trpc = useTRPC();
  const { me, may } = useViewer();
  const own = useQuery(trpc.keys.list.queryOptions(undefined, { enabled: me !== undefined }));
  const all = useQuery(trpc.keys.listAll.queryOptions(undefined, { enabled: may('admin') }));
  return (
    <AppShell>
      <main className="list-page">
        <div className="list-head">
          <h1>API keys</h1>
        </div>
        <p className="muted page-intro">
          Keys let CI jobs, webhooks and scripts act for you without a password: <strong>read</strong> keys
          read pipelines, runs and models; <strong>run</strong> keys also start and cancel runs;{' '}
          <strong>predict</strong> keys ask models for predictions; <strong>admin</strong> keys do everything
          you may. Pipewright stores only a hash: a key is shown once, when it is created.
        </p>
        {me && <KeyCreateForm role={me.role} />}
        <section className="panel" aria-labelledby="own-keys-heading">
          <h2 id="own-keys-heading">Your keys</h2>
          {own.error && <p className="error-text">{own.error.message}</p>}
          {own.data ? (
            <KeysTable keys={own.data} everyone={false} />
          ) : (
            !own.error && <p className="muted">Loading keys…</p>
          )}
        </section>
        {may('admin') && (
          <section className="panel" aria-labelledby="all-keys-heading">
            <h2 id="all-keys-heading">Every account's keys</h2>
            {all.error && <p className="error-text">{all.error.message}</p>}
            {all.data && <KeysTable keys={all.data} everyone />}
          </section>
        )}
      </main>
    </AppShell>
  );
}
