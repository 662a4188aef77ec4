import { restRoute } from '../../../../../_server/rest/operation';
import { startRunOperation } from '../../../../../_server/rest/runs-api';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** POST /api/v1/pipelines/:id/runs: starts a run (run scope). */
export const POST = restRoute(startRunOperation);
