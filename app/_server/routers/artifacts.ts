import { readFile, stat } from 'node:fs/promises';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { getArtifact } from '../../../db/queries/artifacts';
import { type EvaluationReport, evaluationReportSchema } from '../../../nodes/evaluate/report-schema';
import { confinedArtifactPath, refuseDeletedArtifact } from '../artifact-files';
import { procedure, router } from '../trpc';

/** Reports are small (curves thinned to 200 points, at most 1000 residuals); refuse anything far larger. */
const MAX_REPORT_BYTES = 20 * 1024 * 1024;

export const artifactsRouter = router({
  /** An evaluate step's report artifact, parsed: metrics, slices, gates and what the charts draw. */
  report: procedure('read')
    .input(z.object({ artifactId: z.uuid() }))
    .query(async ({ ctx, input }): Promise<EvaluationReport> => {
      const artifact = await getArtifact(ctx.services.db, input.artifactId);
      if (!artifact) throw new TRPCError({ code: 'NOT_FOUND', message: `No artifact ${input.artifactId}` });
      refuseDeletedArtifact(artifact);
      if (artifact.kind !== 'report') {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `Artifact ${input.artifactId} is a ${artifact.kind}, not a report`,
        });
      }
      const text = await readArtifactFile(artifact.uri, ctx.services.dataDir, MAX_REPORT_BYTES);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new TRPCError({
          code: 'INTERNAL_SERVER_ERROR',
          message: 'The stored report is not valid JSON',
        });
      }
      const parsed = evaluationReportSchema.safeParse(value);
      if (!parsed.success) {
        const [issue] = parsed.error.issues;
        throw new TRPCError({
          code: 'INTERNAL_SERVER_ERROR',
          message: `The stored report is not an evaluation report${issue ? ` (${issue.path.join('.') || 'top level'}: ${issue.message})` : ''}`,
        });
      }
      return parsed.data;
    }),
});

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
