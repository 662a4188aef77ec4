import type { DuckDBDataChunk } from '@duckdb/node-api';
import ort from 'onnxruntime-node';
import { copyDoubleColumn, requireDoubleColumns } from '../_data/chunk-columns';
import { columnSql, type InputColumn } from '../deploy/raw-rows';

/**
 * A batch of rows gathered from DuckDB's chunks in the graph's input form: one column per input,
 * doubles for numbers and yes/no (NaN when missing; true 1, false 0) and strings for text ("" when
 * missing), as serving feeds the graph. The buffers are reused from one batch to the next.
 */
export class InputBatch {
  rows = 0;
  private typesChecked = false;
  private readonly numbers: (Float64Array | null)[];
  private readonly texts: (string[] | null)[];

  constructor(
    private readonly inputs: readonly InputColumn[],
    readonly capacity: number,
  ) {
    this.numbers = inputs.map((input) => (input.type === 'string' ? null : new Float64Array(capacity)));
    this.texts = inputs.map((input) =>
      input.type === 'string' ? new Array<string>(capacity).fill('') : null,
    );
  }

  get full(): boolean {
    return this.rows >= this.capacity;
  }

  /**
   * Copies rows [from, from + count) of a chunk of `batchInputSql`'s result in; returns how many
   * fitted. Number columns are copied whole (see chunk-columns.ts), text a value at a time.
   */
  add(chunk: DuckDBDataChunk, from: number, count: number): number {
    const taken = Math.min(count, this.capacity - this.rows);
    if (!this.typesChecked) {
      requireDoubleColumns(
        chunk,
        this.inputs.flatMap((input, index) => (input.type === 'string' ? [] : [index])),
      );
      this.typesChecked = true;
    }
    for (let index = 0; index < this.inputs.length; index++) {
      const numbers = this.numbers[index];
      const texts = this.texts[index];
      if (numbers) copyDoubleColumn(chunk, index, { from, count: taken }, numbers, this.rows);
      else if (texts) {
        const values = chunk.getColumnValues(index);
        for (let row = 0; row < taken; row++) texts[this.rows + row] = String(values[from + row] ?? '');
      }
    }
    this.rows += taken;
    return taken;
  }

  /** The batch's rows as the graph's feeds. */
  feeds(): Record<string, ort.Tensor> {
    const feeds: Record<string, ort.Tensor> = {};
    this.inputs.forEach((input, index) => {
      const numbers = this.numbers[index];
      feeds[input.name] = numbers
        ? new ort.Tensor('float64', numbers.subarray(0, this.rows), [this.rows, 1])
        : new ort.Tensor('string', (this.texts[index] ?? []).slice(0, this.rows), [this.rows, 1]);
    });
    return feeds;
  }

  clear(): void {
    this.rows = 0;
  }
}

/**
 * The SELECT list item that reads an input column as InputBatch takes it: numbers and yes/no as
 * DOUBLE (a value that is not one becomes missing, as serving treats it), text as VARCHAR with
 * missing as "".
 */
export function batchInputSql(column: InputColumn): string {
  const raw = columnSql(column);
  switch (column.type) {
    case 'number':
      return raw;
    case 'boolean':
      return `try_cast(${raw} as double)`;
    case 'string':
      return `coalesce(${raw}, '')`;
  }
}
