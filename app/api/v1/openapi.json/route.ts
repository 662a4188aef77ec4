import { publicRoute } from '../../../_server/auth/route-guard';
import { openApiDocument } from '../../../_server/rest/openapi';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** GET /api/v1/openapi.json: the REST API's OpenAPI 3.1 document. Public. */
export const GET = publicRoute(async () => Response.json(openApiDocument()));
