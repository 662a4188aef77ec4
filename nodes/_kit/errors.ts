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

function dataReason(error: unknown): { reason: string; column?: string } | undefined {
  if (!(error instanceof Error) || error instanceof NodeInputError) return undefined;
  const match = DATA_ERROR.exec(error.message.split('\n')[0] ?? '');
  if (!match) return undefined;
  const reason = (match[2] ?? '').trim();
  const column = / when casting from source column (.+)$/.exec(reason)?.[1];
  return column ? { reason: reason.replace(/ when casting from source column .+$/, ''), column } : { reason };
}
