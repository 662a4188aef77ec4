import { AppShell } from '../_components/AppShell';
import { SchedulesPage } from '../_schedules/SchedulesPage';

export const metadata = { title: 'Schedules · Pipewright' };

export default function Schedules() {
  return (
    <AppShell>
      <SchedulesPage />
    </AppShell>
  );
}
