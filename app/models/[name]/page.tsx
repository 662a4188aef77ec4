import { AppShell } from '../../_components/AppShell';
import { ModelPage } from '../../_models/ModelPage';
import { MODEL_TABS } from '../../_models/model-tab';

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return { title: `${name} · Models · Pipewright` };
}

/** `?tab=monitoring` opens the Monitoring tab (alert notifications link there), `?tab=rollout` the Rollout tab. */
export default async function ModelRoute({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<{ tab?: string | string[] }>;
}) {
  const { name } = await params;
  const { tab } = await searchParams;
  return (
    <AppShell>
      <ModelPage name={name} initialTab={MODEL_TABS.find((each) => each === tab) ?? 'overview'} />
    </AppShell>
  );
}
