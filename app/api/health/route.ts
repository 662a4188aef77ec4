import { appHealth } from '../../_server/app-health';
import { publicRoute } from '../../_server/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** 200 when every component is healthy, 503 otherwise; the body says which and why. Public. */
export const GET = publicRoute(async () => {
  const health = await appHealth();
  return Response.json(health, {
    status: health.status === 'ok' ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
});
