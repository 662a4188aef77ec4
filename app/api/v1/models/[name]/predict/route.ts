import { guardRoute } from '../../../../../_server/auth/route-guard';
import { forwardToServing, modelSegment } from '../../../../../_server/serving-forward';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * POST /api/v1/models/:name/predict[?alias=staging]: forwarded to the serving process (the model
 * page's Try it form calls it); a signed-in user is sent on with an internal credential.
 */
export const POST = guardRoute<{ name: string }>('predict', async (request, { caller, services, params }) => {
  const name = modelSegment(params.name);
  if (name instanceof Response) return name;
  return forwardToServing(request, caller, services, `/api/v1/models/${name}/predict`, ['alias']);
});
