import { AppShell } from '../../_components/AppShell';
import { CompareRuns } from '../../_components/compare/CompareRuns';

export const metadata = { title: 'Compare runs · Pipewright' };

/** /runs/compare?ids=a,b,c: the runs side by side, in the order the ids are given. */
export default async function CompareRunsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { ids } = await searchParams;
  const list = (Array.isArray(ids) ? ids.join(',') : (ids ?? ''))
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  return (
    <AppShell>
      <CompareRuns ids={list} />
    </AppShell>
  );
}
