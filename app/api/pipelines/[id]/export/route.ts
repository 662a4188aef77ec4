import { getPipeline, latestVersion } from '../../../../../db/queries/pipelines';
import { parsePipelineDocument } from '../../../../../pipeline/document';
import { database } from '../../../../_server/db';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** GET /api/pipelines/:id/export: the latest version's document as a downloadable JSON file. */
export async function GET(
  _request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const { id } = await context.params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) return Response.json({ error: 'Not a pipeline id' }, { status: 400 });
  const { db } = database();
  const [pipeline, version] = await Promise.all([getPipeline(db, id), latestVersion(db, id)]);
  if (!pipeline || !version) return Response.json({ error: `No pipeline ${id}` }, { status: 404 });
  const file = `${pipeline.name.replace(/[^\w.-]+/g, '-')}.pipeline.json`;
  return new Response(
    `${JSON.stringify({ name: pipeline.name, ...parsePipelineDocument(version.graph) }, null, 2)}\n`,
    {
      headers: {
        'content-type': 'application/json',
        'content-disposition': `attachment; filename="${file}"`,
      },
    },
  );
}
