import { z } from 'zod';
import type { Database } from '../../../../../db/client';
import { getPipeline, latestVersion } from '../../../../../db/queries/pipelines';
import { parsePipelineDocument } from '../../../../../pipeline/document';
import { guardRoute } from '../../../../_server/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const pipelineId = z.uuid();

/** GET /api/pipelines/:id/export: the latest version's document as a downloadable JSON file. */
export const GET = guardRoute<{ id: string }>('read', async (_request, { services, params }) => {
  if (!pipelineId.safeParse(params.id).success) {
    return Response.json({ error: `Not a pipeline id: ${JSON.stringify(params.id)}` }, { status: 400 });
  }
  return exportPipeline(services.db, params.id);
});

async function exportPipeline(db: Database, id: string): Promise<Response> {
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
