import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { getArtifact } from '../../../db/queries/artifacts';
import { type EvaluationReport, evaluationReportSchema } from '../../../nodes/evaluate/report-schema';
import { env } from '../env';
import { publicProcedure, router } from '../trpc';

/** Reports are small (curves thinned to 200 points, at most 1000 residuals); refuse anything far larger. */
const MAX_REPORT_BYTES = 20 * 1024 * 1024;

export const artifactsRouter = router({
  /** An evaluate step's report artifact, parsed: metrics, slices, gates and what the charts draw. */
  report: publicProcedure
    .input(z.object({ artifactId: z.uuid() }))
    .query(async ({ ctx, input }): Promise<EvaluationReport> => {
      const artifact = await getArtifact(ctx.services.db, input.artifactId);
      if (!artifact) throw new TRPCError({ code: 'NOT_FOUND', message: `No artifact ${input.artifactId}` });
      if (artifact.kind !== 'report') {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `Artifact ${input.artifactId} is a ${artifact.kind}, not a report`,
        });
      }
      const text = await readArtifactFile(artifact.uri, env.DATA_DIR, MAX_REPORT_BYTES);
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

/**
 * The text of an artifact file, which must be a file: URI inside DATA_DIR/artifacts: a row naming a
 * file elsewhere (`..`, a symbolic link leading out, another machine's path) is refused, not read.
 */
export async function readArtifactFile(uri: string, dataDir: string, maxBytes: number): Promise<string> {
  let file: string;
  try {
    file = fileURLToPath(uri);
  } catch {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'This artifact is not stored on this server' });
  }
  const root = await realpath(path.join(dataDir, 'artifacts')).catch(() => undefined);
  const real = await realpath(file).catch(() => undefined);
  if (!root || !real) {
    throw new TRPCError({ code: 'NOT_FOUND', message: 'The data of this step is no longer stored' });
  }
  if (!real.startsWith(root + path.sep)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: "This artifact's file lies outside the artifact folder, so it is not read",
    });
  }
  const { size } = await stat(real);
  if (size > maxBytes) {
    throw new TRPCError({
      code: 'PAYLOAD_TOO_LARGE',
      message: `This artifact is ${Math.round(size / 1024 / 1024)} MB, too large to show`,
    });
  }
  return readFile(real, 'utf8');
}
