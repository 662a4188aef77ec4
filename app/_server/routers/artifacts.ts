import { readFile, stat } from 'node:fs/promises';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { Database } from '../../../db/client';
import { getArtifact } from '../../../db/queries/artifacts';
import type { ArtifactKind } from '../../../db/schema';
import { type EvaluationReport, evaluationReportSchema } from '../../../nodes/evaluate/report-schema';
import { type DriftReport, driftReportSchema } from '../../../nodes/monitor-drift/report-schema';
import { confinedArtifactPath, refuseDeletedArtifact } from '../artifact-files';
import { procedure, router } from '../trpc';

/** Reports are small (curves thinned to 200 points, at most 1000 residuals); refuse anything far larger. */
const MAX_REPORT_BYTES = 20 * 1024 * 1024;

export const artifactsRouter = router({
  /** An evaluate step's report artifact, parsed: metrics, slices, gates and what the charts draw. */
  report: procedure('read')
    .input(z.object({ artifactId: z.uuid() }))
    .query(
      ({ ctx, input }): Promise<EvaluationReport> =>
        readReport(ctx.services, input.artifactId, {
          kind: 'report',
          schema: evaluationReportSchema,
          name: 'an evaluation report',
        }),
    ),
  /** A monitor step's drift report artifact, parsed: the verdict and each feature's statistics. */
  driftReport: procedure('read')
    .input(z.object({ artifactId: z.uuid() }))
    .query(
      ({ ctx, input }): Promise<DriftReport> =>
        readReport(ctx.services, input.artifactId, {
          kind: 'drift',
          schema: driftReportSchema,
          name: 'a drift report',
        }),
    ),
});

const KIND_NAMES: Record<ArtifactKind, string> = {
  dataset: 'a dataset',
  model: 'a model',
  onnx: 'an ONNX graph',
  report: 'an evaluation report',
  drift: 'a drift report',
};

/** A report artifact of the kind asked for, read and checked against its schema. */
async function readReport<T>(
  services: { db: Database; dataDir: string },
  artifactId: string,
  expected: { kind: ArtifactKind; schema: z.ZodType<T>; name: string },
): Promise<T> {
  const artifact = await getArtifact(services.db, artifactId);
  if (!artifact) throw new TRPCError({ code: 'NOT_FOUND', message: `No artifact ${artifactId}` });
  refuseDeletedArtifact(artifact);
  if (artifact.kind !== expected.kind) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `Artifact ${artifactId} is ${KIND_NAMES[artifact.kind]}, not ${expected.name}`,
    });
  }
  const text = await readArtifactFile(artifact.uri, services.dataDir, MAX_REPORT_BYTES);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'The stored report is not valid JSON' });
  }
  const parsed = expected.schema.safeParse(value);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new TRPCError({
      code: 'INTERNAL_SERVER_ERROR',
      message: `The stored report is not ${expected.name}${issue ? ` (${issue.path.join('.') || 'top level'}: ${issue.message})` : ''}`,
    });
  }
  return parsed.data;
}

/** The text of an artifact file inside DATA_DIR/artifacts (see confinedArtifactPath), refused when too large. */
export async function readArtifactFile(uri: string, dataDir: string, maxBytes: number): Promise<string> {
  const real = await confinedArtifactPath(uri, dataDir);
  const { size } = await stat(real);
  if (size > maxBytes) {
    throw new TRPCError({
      code: 'PAYLOAD_TOO_LARGE',
      message: `This artifact is ${Math.round(size / 1024 / 1024)} MB, too large to show`,
    });
  }
  return readFile(real, 'utf8');
}
