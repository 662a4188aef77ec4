import { RunHistory } from '../../../_components/RunHistory';

export default async function RunsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <RunHistory pipelineId={id} />;
}
