import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { getArtifact } from '../../../db/queries/artifacts';
import { refuseDeletedArtifact } from '../artifact-files';
import { readRowsPage } from '../dataset-preview';
import { procedure, router } from '../trpc';

export const datasetsRouter = router({
  /** A dataset artifact's schema and profile with one page of its rows. */
  preview: procedure('read')
    .input(
      z.object({
        artifactId: z.uuid(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(50),
      }),
    )
    .query(async ({ ctx, input }) => {
      const artifact = await getArtifact(ctx.services.db, input.artifactId);
      if (!artifact) throw new TRPCError({ code: 'NOT_FOUND', message: `No artifact ${input.artifactId}` });
      refuseDeletedArtifact(artifact);
      if (artifact.kind !== 'dataset') {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `Artifact ${input.artifactId} is a ${artifact.kind}, not a dataset`,
        });
      }
      const page = await readRowsPage(artifact.uri, ctx.services.dataDir, input.offset, input.limit);
      return { schema: artifact.schema, profile: artifact.profile, offset: input.offset, ...page };
    }),
});
