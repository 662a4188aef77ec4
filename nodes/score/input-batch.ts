import type { DuckDBValue } from '@duckdb/node-api';
import ort from 'onnxruntime-node';
import { graphNumber, type InputColumn } from '../deploy/raw-rows';

/**
 * A batch of rows gathered from DuckDB's chunks in the graph's input form: one column per input,
 * doubles for numbers and yes/no (NaN when missing; true 1, false 0) and strings for text ("" when
 * missing), as serving feeds the graph. The buffers are reused from one batch to the next.
 */
export class InputBatch {
  rows = 0;
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
   * Copies rows [from, from + count) of a chunk (one array per input, in the inputs' order) in;
   * returns how many fitted.
   */
  add(columns: readonly DuckDBValue[][], from: number, count: number): number {
    const taken = Math.min(count, this.capacity - this.rows);
    for (let index = 0; index < this.inputs.length; index++) {
      const source = columns[index] ?? [];
      const numbers = this.numbers[index];
      const texts = this.texts[index];
      for (let row = 0; row < taken; row++) {
        const value = source[from + row] ?? null;
        if (numbers) numbers[this.rows + row] = graphNumber(value);
        else if (texts) texts[this.rows + row] = value === null ? '' : String(value);
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
