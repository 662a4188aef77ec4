import { type OnnxStep, type OnnxTransformInput, type RawColumn, requiredColumns } from '../../ml/onnx';
import { logicalTypeOf, SPLIT_COLUMN } from '../_data/dataset-schema';
import { parseExpression } from '../_data/expression';
import type { TransformSpec } from '../_data/transform-spec';

/** A column of the raw data: its name and DuckDB storage type (a DatasetSchema or DatasetInput column). */
export interface StoredColumn {
  name: string;
  storage: string;
}

/**
 * The raw columns as the ONNX graph takes them: numbers (and booleans, as 1 and 0) as double, text
 * as string; dates and times are listed but cannot be inputs. `_split` is not a column of the data.
 */
export function onnxRawColumns(columns: readonly StoredColumn[]): RawColumn[] {
  return columns
    .filter((column) => column.name !== SPLIT_COLUMN)
    .map((column): RawColumn => {
      const storage = column.storage.toUpperCase();
      switch (logicalTypeOf(storage, 0, 1)) {
        case 'numeric':
          return /^(FLOAT|FLOAT4|REAL)$/.test(storage)
            ? { name: column.name, kind: 'number', float32: true }
            : { name: column.name, kind: 'number' };
        case 'boolean':
          return { name: column.name, kind: 'number', boolean: true };
        case 'datetime':
          return { name: column.name, kind: 'datetime' };
        default:
          return { name: column.name, kind: 'string' };
      }
    });
}

/**
 * The spec's steps for the exporter, each derive expression parsed against the columns that existed
 * when it ran (replayed from the raw columns through the steps before it).
 */
export function onnxSteps(spec: TransformSpec, rawColumns: readonly StoredColumn[]): OnnxStep[] {
  const names = new Set(rawColumns.map((column) => column.name));
  return spec.steps.map((step, index): OnnxStep => {
    switch (step.op) {
      case 'drop':
        for (const name of step.columns) names.delete(name);
        return step;
      case 'rename':
        names.delete(step.from);
        names.add(step.to);
        return step;
      case 'one_hot':
        names.delete(step.column);
        for (const category of step.categories) names.add(`${step.column}=${category}`);
        if (step.other) names.add(`${step.column}=other`);
        return step;
      case 'date_part':
        names.add(step.as);
        return step;
      case 'select': {
        const keep = new Set([...step.features, ...(step.target === undefined ? [] : [step.target])]);
        for (const name of [...names]) if (!keep.has(name)) names.delete(name);
        return step;
      }
      case 'derive': {
        const expression = parseExpression(
          step.expression,
          [...names],
          `transforms.steps.${index}.expression`,
        );
        names.add(step.name);
        return { op: 'derive', name: step.name, expression };
      }
      default:
        return step;
    }
  });
}

/** The features of the spec's last select step: the model's columns, in order. */
export function specFeatures(spec: TransformSpec): string[] | undefined {
  const select = spec.steps.findLast((step) => step.op === 'select');
  return select?.op === 'select' ? [...select.features] : undefined;
}

/**
 * What exportOnnx needs besides the model: every raw column (those the features do not depend on
 * are left out of the graph), the steps, and the features in model order.
 *
 * `rawColumns` are the columns of the data the spec's first step ran on (for a spec without steps,
 * the training data's own columns): the spec does not record them, and the graph's input types
 * depend on them (a column of numbers one-hot encoded compares numbers, a text column text).
 */
export function onnxTransformInput(
  spec: TransformSpec,
  rawColumns: readonly StoredColumn[],
  features: readonly string[],
): OnnxTransformInput {
  return { columns: onnxRawColumns(rawColumns), steps: onnxSteps(spec, rawColumns), features };
}

/**
 * The raw columns the graph takes as inputs, with their kinds, in the raw data's order. Throws
 * OnnxExportError (naming the step and column) when a step the features depend on cannot be exported.
 */
export function onnxInputColumns(
  spec: TransformSpec,
  rawColumns: readonly StoredColumn[],
  features: readonly string[],
): RawColumn[] {
  return requiredColumns(onnxTransformInput(spec, rawColumns, features));
}
