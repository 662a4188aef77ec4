import { publicUrl } from '../../../config/env';
import { guardRoute } from '../../_server/auth/route-guard';
import { env } from '../../_server/env';
import { refuseForeignRequest } from '../../_server/request-origin';
import { storeUploadStream, UploadError } from '../../_server/uploads';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * POST /api/uploads?name=sales.csv with the file as the raw body: streamed into DATA_DIR/uploads,
 * answered with { file, bytes }; `file` goes into an ingest node's File field or a file parameter.
 * The proxy skips this route (it would buffer the body), so the Host and Origin check runs here.
 */
export const POST = guardRoute('edit', async (request) => {
  const refusal = refuseForeignRequest(request.method, request.headers, publicUrl(env));
  if (refusal) return Response.json({ error: refusal.message }, { status: refusal.status });
  const name = new URL(request.url).searchParams.get('name') ?? '';
  if (!request.body) return Response.json({ error: 'The upload has no body' }, { status: 400 });
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  try {
    const stored = await storeUploadStream(env.DATA_DIR, name, request.body, {
      quotaBytes: env.PIPEWRIGHT_UPLOAD_QUOTA_BYTES,
      declaredBytes: Number.isFinite(declared) ? declared : undefined,
    });
    return Response.json(stored, { status: 201 });
  } catch (error) {
    if (error instanceof UploadError)
      return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
});
