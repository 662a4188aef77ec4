import { VersionDiffPage } from '../../../_diff/VersionDiffPage';

/** A whole version number from the address, or undefined: the page then picks the latest two. */
function versionNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^[1-9][0-9]{0,8}$/.test(text) ? Number(text) : undefined;
}

export default async function VersionDiffRoute({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ from?: string; to?: string }>;
}) {
  const { id } = await params;
  const { from, to } = await searchParams;
  return <VersionDiffPage pipelineId={id} from={versionNumber(from)} to={versionNumber(to)} />;
}
