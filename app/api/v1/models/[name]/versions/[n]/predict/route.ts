import { guardRoute } from '../../../../../../../_server/auth/route-guard';
import { forwardToServing, modelSegment, versionSegment } from '../../../../../../../_server/serving-forward';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** POST /api/v1/models/:name/versions/:n/predict: one version, forwarded to the serving process. */
export const POST = guardRoute<{ name: string; n: string }>(
  'predict',
  async (request, { caller, services, params }) => {
    const name = modelSegment(params.name);
    if (name instanceof Response) return name;
    const version = versionSegment(params.n);
    if (version instanceof Response) return version;
    return forwardToServing(
      request,
      caller,
      services,
      `/api/v1/models/${name}/versions/${version}/predict`,
      [],
    );
  },
);
