import { AppShell } from '../../_components/AppShell';
import { ConnectionsAdmin } from './ConnectionsAdmin';

export const metadata = { title: 'Connections · Pipewright' };

export default function ConnectionsPage() {
  return (
    <AppShell>
      <ConnectionsAdmin />
    </AppShell>
  );
}
