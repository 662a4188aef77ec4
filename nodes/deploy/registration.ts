import type { ModelOutput } from '../../registry/version-schema';
import type { DatasetInput } from '../_data/dataset-input';
import type { Duck } from '../_data/duck';
import type { VersionRegistration } from '../_kit/registry-port';
import type { ModelArtifact } from '../_model/model-artifact';
import { onnxInputColumns } from '../_model/onnx-steps';
import type { EvaluationReport } from '../evaluate/report-schema';
import { type InputColumn, inputColumnOf, requireInputs, requireRawRows } from './raw-rows';
import { referenceOf } from './reference';
import { signatureOf } from './signature';

/**
 * Everything the registry records about the new version: the graph's raw input columns as its
 * signature, the output, the evaluate step's test metrics and gates, the parameters, the training
 * dataset's checksum and profile, the transform spec, and the reference for monitoring.
 */
export async function describeVersion(input: {
  model: ModelArtifact;
  report: EvaluationReport;
  duck: Duck;
  dataset: DatasetInput;
  onnx: Uint8Array;
  modelName: string;
  runParameters: Record<string, unknown>;
  /** The train step's config, when the registry could find it. */
  trainConfig: Record<string, unknown> | undefined;
  datasetFacts: { sha256: string; profile: unknown } | null;
}): Promise<{ registration: VersionRegistration; inputs: InputColumn[] }> {
  const { model, dataset } = input;
  requireRawRows(dataset);
  // The raw columns the graph takes, in graph order (the export's own rule: nodes/_model/onnx-steps).
  const columns = onnxInputColumns(
    model.transforms,
    model.transforms.columns ?? dataset.columns,
    model.features,
  );
  const inputs = columns.map(inputColumnOf);
  requireInputs(dataset, inputs, 'The new version');
  const { reference, sample, missingRates } = await referenceOf(input.duck, dataset, inputs);
  const output: ModelOutput =
    model.task === 'classification'
      ? { task: 'classification', labels: model.classes }
      : { task: 'regression' };
  return {
    inputs,
    registration: {
      modelName: input.modelName,
      task: model.task,
      algorithm: model.algorithm,
      signature: signatureOf({ columns, transforms: model.transforms, missingRates, output }),
      output,
      metrics: input.report.metrics,
      gates: input.report.gates,
      parameters: {
        run: input.runParameters,
        train: {
          algorithm: model.algorithm,
          task: model.task,
          target: model.target,
          features: model.features,
          ...(input.trainConfig ? { config: input.trainConfig } : {}),
        },
      },
      dataset: input.datasetFacts,
      transforms: model.transforms,
      reference,
      referenceSample: sample,
      evaluation: input.report,
      onnx: input.onnx,
    },
  };
}
