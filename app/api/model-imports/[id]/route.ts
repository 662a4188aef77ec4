import { guardRoute } from '../../../_server/auth/route-guard';
import { importModelResponse } from '../../../_server/model-import-routes';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * POST /api/model-imports/:id with { name, columns?, labels?, sample?, setAlias? }: imports the
 * upload :id (POST /api/uploads/model) as the next version of the model `name`. The worker checks
 * the graph on the sample first; a refusal is a 400 with the sentence saying what fails.
 */
export const POST = guardRoute<{ id: string }>('promote', async (request, { services, caller, params }) =>
  importModelResponse(request, services, caller, params.id),
);
