/**
 * A mistake the analyst can fix (bad config, missing column, failed gate). It is not retried, and its
 * message is shown as it is, so it must name the field, column or row it is about.
 */
export class NodeInputError extends Error {
  override name = 'NodeInputError';
  constructor(
    message: string,
    readonly details: { field?: string; column?: string; row?: number } = {},
  ) {
    super(message);
  }
}

/** Longest value an error message quotes whole; past it, the head and the length. */
const SHOWN_VALUE_CHARACTERS = 60;

/**
 * A value from the data as an error message quotes it: in JSON quotes, cut when long, so a
 * 9,000-character cell names itself in a line rather than filling the message.
 */
export function shownValue(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  if (text.length <= SHOWN_VALUE_CHARACTERS) return JSON.stringify(text);
  return `${JSON.stringify(`${text.slice(0, SHOWN_VALUE_CHARACTERS)}…`)} (${text.length.toLocaleString('en')} characters)`;
}

/** Longest DuckDB reason kept in a data error (DuckDB quotes the whole value it failed on). */
const DATA_REASON_CHARACTERS = 300;

/**
 * DuckDB's errors caused by the values in the data, not by a fault: a value that does not convert,
 * a result out of range, an overflow. Retrying them gives the same answer.
 */
const DATA_ERROR = /^(Conversion|Out of Range|Invalid Input) Error: (.*)$/;

/**
 * The input error a DuckDB data error stands for, naming the value (DuckDB quotes it) and the column
 * when DuckDB names it; the step is named by the activity around it. Undefined for any other error.
 * Only DuckDB's first line is kept: the lines after it quote our SQL, which no user should see.
 */
export function dataErrorOf(error: unknown): NodeInputError | undefined {
  const data = dataReason(error);
  if (!data) return undefined;
  const detail = data.column ? `${data.reason} (column "${data.column}")` : data.reason;
  return new NodeInputError(`A value in the data cannot be used: ${detail}`, {
    ...(data.column ? { column: data.column } : {}),
  });
}

/** The same, where the caller knows the column and field it was working on. */
export function columnDataError(
  error: unknown,
  column: string,
  field: string,
  doing: string,
): NodeInputError | undefined {
  const data = dataReason(error);
  if (!data) return undefined;
  return new NodeInputError(`Cannot ${doing} "${column}": ${data.reason}`, { field, column });
}

/** DuckDB's reason for a data error, in words (no error class, no SQL); undefined for any other error. */
export function dataErrorReason(error: unknown): string | undefined {
  return dataReason(error)?.reason;
}

function dataReason(error: unknown): { reason: string; column?: string } | undefined {
  if (!(error instanceof Error) || error instanceof NodeInputError) return undefined;
  const match = DATA_ERROR.exec(error.message.split('\n')[0] ?? '');
  if (!match) return undefined;
  const whole = (match[2] ?? '').trim();
  const reason =
    whole.length > DATA_REASON_CHARACTERS ? `${whole.slice(0, DATA_REASON_CHARACTERS)}… (cut)` : whole;
  const column = / when casting from source column (.+)$/.exec(reason)?.[1];
  return column ? { reason: reason.replace(/ when casting from source column .+$/, ''), column } : { reason };
}
