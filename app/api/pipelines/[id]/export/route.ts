import { z } from 'zod';
import { getPipeline, latestVersion } from '../../../../../db/queries/pipelines';
import { parsePipelineDocument } from '../../../../../pipeline/document';
import { database } from '../../../../_server/db';
import { unexpectedErrorResponse } from '../../../../_server/unexpected-error';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const pipelineId = z.uuid();

/** GET /api/pipelines/:id/export: the latest version's document as a downloadable JSON file. */
export async function GET(
  _request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const { id } = await context.params;
  if (!pipelineId.safeParse(id).success) {
    return Response.json({ error: `Not a pipeline id: ${JSON.stringify(id)}` }, { status: 400 });
  }
  try {
    return await exportPipeline(id);
  } catch (error) {
    return unexpectedErrorResponse(error, `GET /api/pipelines/${id}/export`);
  }
}

async function exportPipeline(id: string): Promise<Response> {
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
