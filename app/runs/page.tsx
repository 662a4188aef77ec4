import { AppShell } from '../_components/AppShell';
import { RunsPage } from '../_runs/RunsPage';

export const metadata = { title: 'Runs · Pipewright' };

export default function Runs() {
  return (
    <AppShell>
      <RunsPage />
    </AppShell>
  );
}
