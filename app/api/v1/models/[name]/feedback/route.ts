import { guardRoute } from '../../../../../_server/auth/route-guard';
import { forwardToServing, modelSegment } from '../../../../../_server/serving-forward';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * POST /api/v1/models/:name/feedback: true labels of earlier predictions, forwarded to the serving
 * process, which looks the prediction ids up and stores the labels (the same keys as predict).
 */
export const POST = guardRoute<{ name: string }>('predict', async (request, { caller, services, params }) => {
  const name = modelSegment(params.name);
  if (name instanceof Response) return name;
  return forwardToServing(request, caller, services, `/api/v1/models/${name}/feedback`, []);
});
