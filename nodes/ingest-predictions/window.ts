import { NodeInputError } from '../_kit/errors';

/** The window to read: From/To when given (both, as ISO times), else the last N hours or days before `runStart`. */
export function windowOf(
  config: { from: string; to: string; windowLength: number; windowUnit: 'hours' | 'days' },
  runStart: Date,
): { from: Date; to: Date; explicit: boolean } {
  if (config.from === '' && config.to === '') {
    const hours = config.windowLength * (config.windowUnit === 'days' ? 24 : 1);
    return { from: new Date(runStart.getTime() - hours * 3_600_000), to: runStart, explicit: false };
  }
  const from = timeOf(config.from, 'from', 'From');
  const to = timeOf(config.to, 'to', 'To');
  if (!(from.getTime() < to.getTime()))
    throw new NodeInputError(`From (${config.from}) must be before To (${config.to})`, { field: 'from' });
  return { from, to, explicit: true };
}

/**
 * A date alone (read as midnight UTC), or a time with its zone (Z or an offset): a time without
 * one would be read in the worker's own time zone, and two workers could read different windows.
 */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

function timeOf(text: string, field: 'from' | 'to', label: string): Date {
  if (text === '')
    throw new NodeInputError(`${label} is empty: give both From and To, or neither (then Last is used)`, {
      field,
    });
  const time = ISO_TIME.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(time.getTime()))
    throw new NodeInputError(
      `${label} is not an ISO time with its zone, such as 2026-12-07T10:00:00Z: "${text}"`,
      {
        field,
      },
    );
  return time;
}
