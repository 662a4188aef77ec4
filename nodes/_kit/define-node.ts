import { z } from 'zod';
import type { InputRefs, NodeContext, OutputRefs, StepSummary } from './context';
import type { ColumnInference, KnownColumns } from './known-columns';
import type { Ports } from './ports';

export const nodeCategories = [
  'ingest',
  'clean',
  'feature',
  'train',
  'evaluate',
  'deploy',
  'monitor',
] as const;
export type NodeCategory = (typeof nodeCategories)[number];

/**
 * How a config field is edited. A schema can name its own with zod's `.meta({ widget })`, which is how
 * fields inside lists (an operation's columns) get theirs: 'list' edits an array of objects item by
 * item, 'choices' an array of fixed options as checkboxes, 'values' a short list typed with commas,
 * 'connection' a stored or environment PostgreSQL connection by name, 'model' a registered model's
 * name (a new one, or one picked from the registry).
 */
export const widgets = [
  'text',
  'number',
  'select',
  'checkbox',
  'column',
  'columns',
  'connection',
  'model',
  'condition',
  'list',
  'choices',
  'values',
  'json',
] as const;
export const widgetSchema = z.enum(widgets);
export type Widget = z.infer<typeof widgetSchema>;

export interface FieldHint {
  label: string;
  widget?: Widget;
  help?: string;
  advanced?: boolean;
}

export interface ExecutionDefaults {
  /** Longest one attempt may take, e.g. '10 minutes'. */
  startToClose: string;
  /** A step that has not reported progress for this long is considered lost and retried. */
  heartbeat: string;
  maxAttempts: number;
}

/**
 * Everything about a node type except how it runs: this part is isomorphic, so the editor and the
 * compiler use it without pulling in server code.
 */
export interface NodeSpec<
  C extends z.ZodObject = z.ZodObject,
  I extends Ports = Ports,
  O extends Ports = Ports,
> {
  /** Stable id, never renamed: saved pipelines refer to it. */
  type: string;
  /** Bumped on a breaking config change. */
  version: number;
  category: NodeCategory;
  title: string;
  description: string;
  icon: string;
  /** One schema gives the config's type, its defaults, its validation and its form. */
  config: C;
  ui: { [F in keyof z.infer<C>]?: FieldHint };
  inputs: I;
  outputs: O;
  execution: ExecutionDefaults;
  /**
   * The output columns for given input columns, with every reference to a missing column as a
   * problem; lets the compiler flag a misspelt column on the node before the run. Pure.
   */
  inferColumns?: (config: z.infer<C>, inputs: Record<string, KnownColumns>) => ColumnInference;
  /** Hidden from the palette (test and internal node types). */
  internal?: boolean;
}

export interface NodeResult<O extends Ports> {
  outputs: OutputRefs<O>;
  summary?: StepSummary;
}

/** The server-only body of a node: registered apart from its spec, run as a Temporal activity. */
export type NodeRun<S extends NodeSpec> = (
  args: { config: z.infer<S['config']>; inputs: InputRefs<S['inputs']> },
  context: NodeContext,
) => Promise<NodeResult<S['outputs']>>;

export function defineNode<C extends z.ZodObject, I extends Ports, O extends Ports>(
  spec: NodeSpec<C, I, O>,
): NodeSpec<C, I, O> {
  return spec;
}
