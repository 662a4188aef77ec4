import { AppShell } from './_components/AppShell';
import { PipelineList } from './_components/PipelineList';

export default function HomePage() {
  return (
    <AppShell>
      <PipelineList />
    </AppShell>
  );
}
