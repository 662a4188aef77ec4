import { Editor } from '../../_editor/Editor';

export default async function PipelinePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ run?: string }>;
}) {
  const { id } = await params;
  const { run } = await searchParams;
  return <Editor pipelineId={id} runId={run} />;
}
