import { env } from '../../_server/env';
import { storeUploadStream, UploadError } from '../../_server/uploads';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * POST /api/uploads?name=sales.csv with the file as the raw body: streamed into DATA_DIR/uploads,
 * answered with { file, bytes }; `file` goes into an ingest node's File field or a file parameter.
 */
export async function POST(request: Request): Promise<Response> {
  const name = new URL(request.url).searchParams.get('name') ?? '';
  if (!request.body) return Response.json({ error: 'The upload has no body' }, { status: 400 });
  try {
    return Response.json(await storeUploadStream(env.DATA_DIR, name, request.body), { status: 201 });
  } catch (error) {
    if (error instanceof UploadError)
      return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
}
