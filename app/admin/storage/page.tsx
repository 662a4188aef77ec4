import { AppShell } from '../../_components/AppShell';
import { StorageAdmin } from './StorageAdmin';

export const metadata = { title: 'Storage · Pipewright' };

export default function StoragePage() {
  return (
    <AppShell>
      <StorageAdmin />
    </AppShell>
  );
}
