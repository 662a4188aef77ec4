import { z } from 'zod';
import { portKindSchema } from './ports';

/**
 * A reference to data a step wrote: workflow state carries only these, never the data itself
 * (Temporal payloads are capped at about 2 MB).
 */
export const artifactRefSchema = z.object({
  kind: portKindSchema,
  /** Row id in the artifacts table. */
  id: z.string(),
  /** Where the bytes are, e.g. file:///…/artifacts/<run>/<node>/<port>.parquet */
  uri: z.string(),
});

export type ArtifactRef = z.infer<typeof artifactRefSchema>;
