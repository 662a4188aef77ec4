import type { Task } from '../../ml/model';
import { NodeInputError } from '../_kit/errors';
import type { Label } from '../_model/model-artifact';

/** Whole-number targets with at most this many values are classes when the task is detected. */
const MAX_DETECTED_CLASSES = 20;

export interface EncodedTarget {
  task: Task;
  /** Class labels in model order (sorted); empty for regression. */
  classes: Label[];
  /** Class index per row (classification) or the value (regression). */
  y: Float64Array;
}

/**
 * Decides the task (unless set) and encodes the target of the training rows. Missing targets are
 * already filtered out by the caller. Text and yes/no targets are classes; numbers are classes
 * when they are whole and few, else values.
 */
export function encodeTarget(
  values: (Label | null)[],
  requested: 'auto' | Task,
  column: string,
): EncodedTarget {
  const present = values.filter((value): value is Label => value !== null);
  if (present.length === 0)
    throw new NodeInputError(`Target column "${column}" has no values in the training rows`, {
      field: 'target',
      column,
    });
  const numeric = present.every((value) => typeof value === 'number');
  const task = requested === 'auto' ? detectTask(present, numeric) : requested;
  if (task === 'regression') return { task, classes: [], y: regressionTarget(present, numeric, column) };
  const classes = [...new Set(present)].sort(compareLabels);
  if (classes.length < 2)
    throw new NodeInputError(
      `Target column "${column}" has one class (${JSON.stringify(classes[0])}) in the training rows: a classifier needs at least two`,
      { field: 'target', column },
    );
  const index = new Map(classes.map((label, position) => [label, position]));
  return { task, classes, y: Float64Array.from(present, (value) => index.get(value) ?? -1) };
}

function detectTask(present: Label[], numeric: boolean): Task {
  if (!numeric) return 'classification';
  const distinct = new Set(present);
  const whole = present.every((value) => Number.isInteger(value));
  return whole && distinct.size <= MAX_DETECTED_CLASSES ? 'classification' : 'regression';
}

function regressionTarget(present: Label[], numeric: boolean, column: string): Float64Array {
  if (!numeric)
    throw new NodeInputError(
      `Target column "${column}" holds text, so it cannot be predicted as a number: set Task to classification`,
      { field: 'task', column },
    );
  const y = Float64Array.from(present, Number);
  const bad = y.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0)
    throw new NodeInputError(
      `Target column "${column}" holds an infinite or NaN value (training row ${bad + 1})`,
      {
        field: 'target',
        column,
        row: bad + 1,
      },
    );
  return y;
}

/** Numbers by value, everything else by its text: a stable order recorded with the model. */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
