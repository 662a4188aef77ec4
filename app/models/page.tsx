import { AppShell } from '../_components/AppShell';
import { ModelList } from '../_models/ModelList';

export const metadata = { title: 'Models · Pipewright' };

export default function ModelsPage() {
  return (
    <AppShell>
      <ModelList />
    </AppShell>
  );
}
