import type { Expression } from 'jsep';
import type { FittedModel, Task } from '../model';

/**
 * A column of the raw dataset, as the graph takes it: one input per column, shape [N, 1].
 * - number: tensor(double), a missing value is NaN (booleans are 1 and 0);
 * - string: tensor(string), a missing value is "";
 * - datetime: not an input the graph can take; listed so a step that needs it fails with its name.
 */
export interface RawColumn {
  name: string;
  kind: 'number' | 'string' | 'datetime';
  /**
   * The data keeps this column as 32-bit floats (DuckDB FLOAT): the graph rounds the double it is
   * given to float32 first, as storing it did.
   */
  float32?: boolean;
  /** A boolean column, given as 1 and 0: written as text it reads "true" and "false". */
  boolean?: boolean;
}

/** A logical column type (as nodes/_data/dataset-schema.ts names them). */
export type LogicalType = 'numeric' | 'categorical' | 'boolean' | 'datetime' | 'text';

/**
 * One learned transform step, shaped like the data nodes' transform spec
 * (nodes/_data/transform-spec.ts), except that `derive` carries its parsed expression tree.
 */
export type OnnxStep =
  | { op: 'drop'; columns: readonly string[] }
  | { op: 'rename'; from: string; to: string }
  | { op: 'cast'; column: string; to: LogicalType }
  | { op: 'impute'; column: string; strategy: string; value: number | string | boolean }
  | { op: 'clip'; column: string; lower: number; upper: number }
  | { op: 'text'; column: string; trim: boolean; lower: boolean }
  | { op: 'standardize'; column: string; mean: number; std: number }
  | { op: 'min_max'; column: string; min: number; max: number }
  | { op: 'one_hot'; column: string; categories: readonly string[]; other: boolean }
  | { op: 'ordinal'; column: string; categories: readonly string[] }
  | { op: 'log'; column: string }
  | { op: 'sqrt'; column: string }
  | { op: 'bin'; column: string; edges: readonly number[] }
  | { op: 'date_part'; column: string; part: string; as: string }
  | { op: 'derive'; name: string; expression: Expression }
  | { op: 'select'; features: readonly string[]; target?: string };

/** What the transform part of the graph needs: the raw columns, the steps, the model's features. */
export interface OnnxTransformInput {
  /** The raw dataset's columns; those the features do not depend on are left out of the graph. */
  columns: readonly RawColumn[];
  steps: readonly OnnxStep[];
  /** The model's feature columns, in the model's order (columns of the data after the steps). */
  features: readonly string[];
}

export interface OnnxExportInput extends OnnxTransformInput {
  model: FittedModel;
  task: Task;
  /**
   * Classification: the class labels in the model's class order (index k is class k). All integers
   * → the `label` output is tensor(int64); otherwise tensor(string) (true and false as "true", "false").
   */
  classLabels?: readonly (string | number | boolean)[];
}

/** The graph's output names. */
export const OUTPUT_NAMES = {
  label: 'label',
  probabilities: 'probabilities',
  value: 'value',
} as const;
