import { publicUrl } from '../../../../config/env';
import { guardRoute } from '../../../_server/auth/route-guard';
import { env } from '../../../_server/env';
import { uploadModelResponse } from '../../../_server/model-import-routes';
import { refuseForeignRequest } from '../../../_server/request-origin';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * POST /api/uploads/model?name=model.onnx with an ONNX file (at most 100 MB) as the raw body: kept
 * for an import and answered with { importId, fileName, bytes, graph } (its inputs, outputs, input
 * form, task and labels). Importing needs the promote permission. The proxy skips /api/uploads (it
 * would buffer the body), so the Host and Origin check runs here.
 */
export const POST = guardRoute('promote', async (request, { services, caller }) => {
  const refusal = refuseForeignRequest(request.method, request.headers, publicUrl(env));
  if (refusal) return Response.json({ error: refusal.message }, { status: refusal.status });
  return uploadModelResponse(request, services, caller);
});
