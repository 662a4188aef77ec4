import { z } from 'zod';
import type { VersionSlice } from '../nodes/_kit/monitoring-port';
import { sliceSchema } from '../nodes/evaluate/spec';

/** What the slices are read from in a stored graph: the nodes' types and configs, and the edges. */
const graphSchema = z.object({
  nodes: z.array(z.object({ id: z.string(), type: z.string(), config: z.unknown() })),
  edges: z.array(
    z.object({
      source: z.object({ node: z.string() }),
      target: z.object({ node: z.string(), port: z.string() }),
    }),
  ),
});

const slicesConfigSchema = z.object({ slices: z.array(z.unknown()).default([]) });

/**
 * The slices of the evaluate node whose report reaches the deploy node (the step that registered
 * the version) in a pipeline version's graph. A slice whose config does not parse as plain values
 * (one taken from a run parameter, say) is left out: the graph alone does not say what it was.
 */
export function evaluateSlicesOf(graph: unknown, deployNodeId: string): VersionSlice[] {
  const parsed = graphSchema.safeParse(graph);
  if (!parsed.success) return [];
  const edge = parsed.data.edges.find(
    (each) => each.target.node === deployNodeId && each.target.port === 'report',
  );
  const evaluate = parsed.data.nodes.find((node) => node.id === edge?.source.node);
  if (evaluate?.type !== 'evaluate') return [];
  const config = slicesConfigSchema.safeParse(evaluate.config);
  if (!config.success) return [];
  return config.data.slices.flatMap((slice) => {
    const read = sliceSchema.safeParse(slice);
    return read.success ? [read.data] : [];
  });
}
