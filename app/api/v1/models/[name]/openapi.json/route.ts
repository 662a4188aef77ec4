import { guardRoute } from '../../../../../_server/auth/route-guard';
import { forwardToServing, modelSegment } from '../../../../../_server/serving-forward';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * GET /api/v1/models/:name/openapi.json[?alias=…|?version=n]: the model's OpenAPI document, made by
 * the serving process from the version's signature.
 */
export const GET = guardRoute<{ name: string }>('read', async (request, { caller, services, params }) => {
  const name = modelSegment(params.name);
  if (name instanceof Response) return name;
  return forwardToServing(request, caller, services, `/api/v1/models/${name}/openapi.json`, [
    'alias',
    'version',
  ]);
});
