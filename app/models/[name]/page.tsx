import { AppShell } from '../../_components/AppShell';
import { ModelPage } from '../../_models/ModelPage';
import { MODEL_TABS } from '../../_models/model-tab';

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return { title: `${name} · Models · Pipewright` };
}

/** A positive whole number from the address, else undefined. */
function versionParam(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string' || !/^[1-9]\d{0,8}$/.test(value)) return undefined;
  return Number(value);
}

/**
 * `?tab=monitoring` opens the Monitoring tab (alert notifications link there); `?tab=compare&a=3&b=5`
 * the Compare tab with versions 3 and 5 (without a and b: production against the newest other);
 * `?tab=rollout` the Rollout tab.
 */
export default async function ModelRoute({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<{ tab?: string | string[]; a?: string | string[]; b?: string | string[] }>;
}) {
  const { name } = await params;
  const { tab, a, b } = await searchParams;
  return (
    <AppShell>
      <ModelPage
        name={name}
        initialTab={MODEL_TABS.find((each) => each === tab) ?? 'overview'}
        initialCompare={{ a: versionParam(a), b: versionParam(b) }}
      />
    </AppShell>
  );
}
