import ort from 'onnxruntime-node';
import { exportTransforms, OnnxExportError } from '../../ml/onnx';
import type { TransformSpec, TransformStep } from '../_data/transform-spec';
import type { LoggedWindow, MonitoredVersion } from '../_kit/monitoring-port';
import { onnxTransformInput, type StoredColumn } from '../_model/onnx-steps';
import type { SliceColumn } from './slice-condition';

/**
 * The columns slice conditions name, as the evaluate step saw them, computed from the logged raw
 * inputs. Evaluate measured the data after the feature steps, so "age > 0" there may be about a
 * standardised age: a column the transforms change is replayed through the version's own
 * transforms, exported as an ONNX graph (the same export as the model's, which parity tests hold
 * to the data steps' output) and run in onnxruntime. A column nothing changes is the raw input.
 */

export interface SliceColumns {
  columns: Map<string, SliceColumn>;
  /** Columns that cannot be had from the log, each with why (completing "column "x" …"). */
  unavailable: Map<string, string>;
}

type Version = Pick<MonitoredVersion, 'signature' | 'transforms'>;

export async function sliceColumns(
  names: readonly string[],
  window: Pick<LoggedWindow, 'rows' | 'columns'>,
  version: Version,
): Promise<SliceColumns> {
  // Evaluate measures the data before the train step keeps only the model's features.
  const steps = version.transforms.steps.filter((step) => step.op !== 'select');
  const result: SliceColumns = { columns: new Map(), unavailable: new Map() };
  for (const name of new Set(names)) {
    const touching = steps.filter((step) => touches(step, name));
    const input = version.signature.inputs.find((each) => each.name === name);
    const logged = window.columns.get(name);
    if (touching.length === 0) {
      if (input && logged) result.columns.set(name, rawColumn(logged, input.type === 'boolean'));
      else
        result.unavailable.set(
          name,
          "is not one of the model's inputs, so the prediction log does not have it",
        );
    } else if (logged && !(logged instanceof Float64Array) && touching.every(isTextStep)) {
      result.columns.set(name, { kind: 'text', values: replayText(logged, touching) });
    } else {
      const replayed = await replayColumn(name, { version: 1, steps }, window, version);
      if (typeof replayed === 'string') result.unavailable.set(name, replayed);
      else result.columns.set(name, replayed);
    }
  }
  return result;
}

function rawColumn(logged: Float64Array | readonly (string | null)[], boolean: boolean): SliceColumn {
  return logged instanceof Float64Array
    ? { kind: 'number', values: logged, boolean }
    : { kind: 'text', values: logged };
}

/** Whether a transform step writes the column (or removes it). */
function touches(step: TransformStep, name: string): boolean {
  switch (step.op) {
    case 'drop':
      return step.columns.includes(name);
    case 'rename':
      return step.from === name || step.to === name;
    case 'derive':
      return step.name === name;
    case 'date_part':
      return step.as === name;
    case 'one_hot':
      return step.column === name || name.startsWith(`${step.column}=`);
    case 'select':
      return false;
    default:
      return step.column === name;
  }
}

/** Steps that keep a text column text: trimming and lowercasing, and filling in a missing value. */
function isTextStep(step: TransformStep): boolean {
  return step.op === 'text' || (step.op === 'impute' && typeof step.value === 'string');
}

function replayText(values: readonly (string | null)[], steps: readonly TransformStep[]): (string | null)[] {
  return values.map((value) =>
    steps.reduce<string | null>((text, step) => {
      if (step.op === 'impute') return text ?? String(step.value);
      if (step.op === 'text' && text !== null) {
        const trimmed = step.trim ? text.trim() : text;
        return step.lower ? trimmed.toLowerCase() : trimmed;
      }
      return text;
    }, value),
  );
}

/**
 * The column computed by the transforms from the logged inputs, or why it cannot be: the graph
 * needs a raw column the model does not take, or the transforms make it in a way the export
 * cannot express (text, for one).
 */
async function replayColumn(
  name: string,
  spec: TransformSpec,
  window: Pick<LoggedWindow, 'rows' | 'columns'>,
  version: Version,
): Promise<SliceColumn | string> {
  let graph: Uint8Array;
  try {
    graph = exportTransforms(onnxTransformInput(spec, rawColumnsOf(version), [name]));
  } catch (error) {
    if (error instanceof OnnxExportError)
      return 'is made by the feature steps in a way the monitor cannot replay on the logged inputs';
    throw error;
  }
  const session = await ort.InferenceSession.create(graph, { intraOpNumThreads: 1 });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const input of session.inputNames) {
      const logged = window.columns.get(input);
      if (!logged)
        return `is computed from column "${input}", which is not one of the model's inputs, so the prediction log does not have it`;
      feeds[input] =
        logged instanceof Float64Array
          ? new ort.Tensor('float64', logged, [window.rows, 1])
          : // The graph takes a missing text as "" (ml/onnx/export.ts).
            new ort.Tensor(
              'string',
              Array.from(logged, (value) => value ?? ''),
              [window.rows, 1],
            );
    }
    const { features } = await session.run(feeds, ['features']);
    if (!(features?.data instanceof Float64Array)) throw new Error('The transform graph gave no numbers');
    const input = version.signature.inputs.find((each) => each.name === name);
    return { kind: 'number', values: features.data, boolean: input?.type === 'boolean' };
  } finally {
    await session.release();
  }
}

/**
 * The raw columns the spec starts from: as recorded with it, else the signature's (numbers as
 * DOUBLE, yes/no as BOOLEAN, text as VARCHAR, as serving feeds them).
 */
function rawColumnsOf(version: Version): StoredColumn[] {
  if (version.transforms.columns) return version.transforms.columns;
  return version.signature.inputs.map((input) => ({
    name: input.name,
    storage: input.type === 'number' ? 'DOUBLE' : input.type === 'boolean' ? 'BOOLEAN' : 'VARCHAR',
  }));
}
