'use client';

import { useQuery } from '@tanstack/react-query';
import { NeedsPermission } from '../../_account/NeedsPermission';
import { useViewer } from '../../_account/use-viewer';
import { DiskUseTable } from '../../_components/DiskUseTable';
import { ListHead } from '../../_components/ListHead';
import { useTRPC } from '../../_trpc/client';
import { RetentionForm } from './RetentionForm';

/** Admins set how long run files are kept and see what each pipeline's runs take on disk. */
export function StorageAdmin() {
  const trpc = useTRPC();
  const { me, may } = useViewer();
  const isAdmin = may('admin');
  const settings = useQuery(trpc.retention.settings.queryOptions(undefined, { enabled: isAdmin }));
  const diskUse = useQuery(trpc.retention.diskUse.queryOptions(undefined, { enabled: isAdmin }));

  if (me && !isAdmin) return <NeedsPermission permission="admin" title="Managing storage" />;

  return (
    <main className="list-page">
      <ListHead title="Storage">
        The files runs write (datasets, models, reports) under the data folder, and how long they are kept.
      </ListHead>
      {/* Keyed by the loaded value, so the form starts from it once it arrives. */}
      {settings.data && <RetentionForm key={String(settings.data.days)} days={settings.data.days} />}
      <h2 className="section-title">Disk use by pipeline</h2>
      {diskUse.error && <p className="form-error">{diskUse.error.message}</p>}
      {diskUse.data && <DiskUseTable rows={diskUse.data.pipelines} totalBytes={diskUse.data.totalBytes} />}
    </main>
  );
}
