import { AppShell } from '../../_components/AppShell';
import { ModelPage } from '../../_models/ModelPage';

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return { title: `${name} · Models · Pipewright` };
}

export default async function ModelRoute({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return (
    <AppShell>
      <ModelPage name={name} />
    </AppShell>
  );
}
