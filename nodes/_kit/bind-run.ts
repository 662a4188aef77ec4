import type { z } from 'zod';
import type { ArtifactRef } from './artifact-ref';
import type { InputRefs, NodeContext, OutputRefs, StepSummary } from './context';
import type { NodeRun, NodeSpec } from './define-node';
import { dataErrorOf } from './errors';
import type { Ports } from './ports';

/** A run function with its config and inputs checked at run time, callable without knowing its type. */
export type BoundNodeRun = (
  args: { config: unknown; inputs: Record<string, ArtifactRef> },
  context: NodeContext,
) => Promise<{ outputs: Record<string, ArtifactRef>; summary?: StepSummary }>;

/** Pairs a node's spec with its run function; the pairing is checked here, once, by the compiler. */
export function bindRun<C extends z.ZodObject, I extends Ports, O extends Ports>(
  spec: NodeSpec<C, I, O>,
  run: NodeRun<NodeSpec<C, I, O>>,
): BoundNodeRun {
  return async (args, context) => {
    const { config, inputs } = args;
    const parsedConfig = spec.config.parse(config);
    if (!hasRequiredInputs(spec.inputs, inputs)) {
      const missing = Object.keys(spec.inputs).filter(
        (port) => !spec.inputs[port]?.optional && !inputs[port],
      );
      throw new Error(`Step ${context.nodeId} is missing input ${missing.join(', ')}`);
    }
    // An error caused by the data (a value that will not convert, an overflow) is the analyst's to fix:
    // retrying it would fail the same way.
    const result = await run({ config: parsedConfig, inputs }, context).catch((error: unknown) => {
      throw dataErrorOf(error) ?? error;
    });
    return { outputs: outputsRecord(result.outputs), summary: result.summary };
  };
}

function hasRequiredInputs<I extends Ports>(
  ports: I,
  inputs: Record<string, ArtifactRef>,
): inputs is InputRefs<I> & Record<string, ArtifactRef> {
  return Object.entries(ports).every(([port, spec]) => spec.optional || inputs[port] !== undefined);
}

function outputsRecord<O extends Ports>(outputs: OutputRefs<O>): Record<string, ArtifactRef> {
  return Object.fromEntries(Object.entries(outputs));
}
