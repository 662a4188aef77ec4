import { auditExportResponse } from '../../../_server/audit-export';
import { guardRoute } from '../../../_server/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * GET /api/audit/export?actor=&action=&objectType=&object=&from=&to= (admins only): the matching
 * audit entries as a CSV download, newest first, streamed.
 */
export const GET = guardRoute('admin', async (request, { caller, services }) => {
  return auditExportResponse(services.db, caller, new URL(request.url));
});
