import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DatasetInput } from '../_data/dataset-input';
import { NodeInputError } from '../_kit/errors';
import type { RegistryPort } from '../_kit/registry-port';
import { readModelArtifact } from '../_model/model-artifact';
import { onnxInputColumns } from '../_model/onnx-steps';
import { inputColumnOf } from '../deploy/raw-rows';
import type { ScoringModel } from './batch-scorer';
import type { scoreVersionChoices } from './spec';

/** The trained model connected to the Model port: its ONNX graph, beside its model.json. */
export async function canvasModel(modelFile: string, dataset: DatasetInput): Promise<ScoringModel> {
  const model = await readModelArtifact(modelFile);
  if (!model.onnx)
    throw new NodeInputError(
      'The connected model has no ONNX file (its train step says which transform has no ONNX form), so it cannot be scored',
      { field: 'model' },
    );
  const onnx = new Uint8Array(await readFile(path.join(path.dirname(modelFile), path.basename(model.onnx))));
  const columns = onnxInputColumns(
    model.transforms,
    model.transforms.columns ?? dataset.columns,
    model.features,
  );
  return {
    name: 'The connected model',
    onnx,
    task: model.task,
    labels: model.classes,
    inputs: columns.map(inputColumnOf),
  };
}

export interface RegistryChoice {
  model: string;
  version: (typeof scoreVersionChoices)[number];
  versionNumber?: number;
}

/** A registered version, by alias or number, from the registry (its files outlive any run's). */
export async function registryModel(
  registry: RegistryPort,
  choice: RegistryChoice,
): Promise<ScoringModel & { version: number }> {
  if (choice.version === 'number' && choice.versionNumber === undefined)
    throw new NodeInputError('Version is set to number: give the version number', { field: 'versionNumber' });
  const which =
    choice.version === 'number' ? { version: choice.versionNumber ?? 0 } : { alias: choice.version };
  const found = await registry.findVersion(choice.model, which);
  if (!found)
    throw new NodeInputError(
      'alias' in which
        ? `No ${which.alias} version of model "${choice.model}": check the name on the Models page, or promote a version first`
        : `Model "${choice.model}" has no version ${which.version}`,
      { field: 'alias' in which ? 'model' : 'versionNumber' },
    );
  const output = found.signature.output;
  return {
    name: `${found.modelName} version ${found.version}`,
    version: found.version,
    onnx: await found.onnx(),
    task: output.task,
    labels: output.task === 'classification' ? output.labels : [],
    inputs: found.signature.inputs.map(({ name, type }) => ({ name, type })),
  };
}
