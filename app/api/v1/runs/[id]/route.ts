import { restRoute } from '../../../../_server/rest/operation';
import { readRunOperation } from '../../../../_server/rest/runs-api';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** GET /api/v1/runs/:id: a run's status, steps and metrics (read scope). */
export const GET = restRoute(readRunOperation);
