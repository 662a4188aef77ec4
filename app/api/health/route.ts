import { appHealth } from '../../_server/app-health';
import { unexpectedErrorResponse } from '../../_server/unexpected-error';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** 200 when every component is healthy, 503 otherwise; the body says which and why. */
export async function GET(): Promise<Response> {
  try {
    const health = await appHealth();
    return Response.json(health, {
      status: health.status === 'ok' ? 200 : 503,
      headers: { 'cache-control': 'no-store' },
    });
  } catch (error) {
    return unexpectedErrorResponse(error, 'GET /api/health');
  }
}
