/**
 * A model or a transform step that the exporter cannot write as an ONNX graph with the same results
 * as training; the message names the step (its position and op) and the column.
 */
export class OnnxExportError extends Error {
  constructor(
    message: string,
    readonly detail: { step?: number; op?: string; column?: string } = {},
  ) {
    super(message);
    this.name = 'OnnxExportError';
  }
}
