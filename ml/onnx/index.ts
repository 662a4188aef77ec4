/** ONNX export: a fitted model and the transforms in front of it as one graph over the raw columns. */
export { OnnxExportError } from './errors';
export { exportOnnx, exportTransforms, requiredColumns } from './export';
export type { LogicalType, OnnxExportInput, OnnxStep, OnnxTransformInput, RawColumn } from './types';
export { OUTPUT_NAMES } from './types';
