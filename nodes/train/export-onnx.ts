import { exportOnnx, OnnxExportError } from '../../ml/onnx';
import type { DatasetInput } from '../_data/dataset-input';
import type { NodeLogger } from '../_kit/context';
import type { ModelArtifact } from '../_model/model-artifact';
import { onnxTransformInput } from '../_model/onnx-steps';

/**
 * The model and its transforms from raw columns as one ONNX graph, or undefined (with a warning
 * saying why) when a transform has no exact ONNX form: the model still evaluates, but cannot be
 * served until that step is changed.
 */
export function exportModelOnnx(
  model: Omit<ModelArtifact, 'onnx'>,
  dataset: DatasetInput,
  log: NodeLogger,
): Uint8Array | undefined {
  // Datasets ingested before specs recorded their raw columns: the training data's own columns.
  const raw = model.transforms.columns ?? dataset.columns;
  try {
    return exportOnnx({
      ...onnxTransformInput(model.transforms, raw, model.features),
      model: model.fitted,
      task: model.task,
      ...(model.task === 'classification'
        ? { classLabels: model.classes.map((label) => (typeof label === 'boolean' ? String(label) : label)) }
        : {}),
    });
  } catch (error) {
    if (!(error instanceof OnnxExportError)) throw error;
    log.warn(`No ONNX file: ${error.message}. The model can be evaluated, not deployed.`);
    return undefined;
  }
}
