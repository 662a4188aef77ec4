import { restRoute } from '../../../../../_server/rest/operation';
import { cancelRunOperation } from '../../../../../_server/rest/runs-api';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** POST /api/v1/runs/:id/cancel: cancels a run (run scope). */
export const POST = restRoute(cancelRunOperation);
