import { guardRoute } from '../../../../../../_server/auth/route-guard';
import { embeddingArchiveResponse } from '../../../../../../_server/embedding-archive';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * GET /api/models/:name/versions/:n/embedding: the version's model.onnx and a README generated for
 * it (signature, outputs, Python, Node and browser snippets), as one .zip download.
 */
export const GET = guardRoute<{ name: string; n: string }>(
  'read',
  async (_request, { caller, services, params }) => embeddingArchiveResponse({ ...caller, services }, params),
);
