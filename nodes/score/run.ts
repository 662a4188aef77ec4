import { type DatasetInput, openDataset } from '../_data/dataset-input';
import { writeDatasetWithTransforms } from '../_data/dataset-output';
import { Duck } from '../_data/duck';
import type { ArtifactRef } from '../_kit/artifact-ref';
import type { NodeContext } from '../_kit/context';
import type { NodeRun } from '../_kit/define-node';
import { NodeInputError } from '../_kit/errors';
import { requireInputs, requireRawRows } from '../deploy/raw-rows';
import { SCORES_TABLE, type ScoringModel, scoreDataset } from './batch-scorer';
import { type WriteTarget, writeScoresToPostgres } from './postgres-target';
import { canvasModel, type RegistryChoice, registryModel } from './scoring-model';
import type { scoreSpec } from './spec';

/**
 * Scores the data with a model connected on the canvas or taken from the registry: each row keeps
 * its columns and gains the prediction (and each class's probability). The graph replays the
 * model's transforms, so the rows must be raw ones, as the endpoint takes them.
 */
export const runScore: NodeRun<typeof scoreSpec> = async ({ config, inputs }, context) => {
  const duck = await Duck.open();
  try {
    const dataset = await openDataset(duck, inputs.data);
    requireRawRows(dataset);
    const model = await scoringModel(config, inputs.model, dataset, context);
    requireInputs(dataset, model.inputs, model.name);
    const total = Number((await duck.one('select count(*) as n from read_parquet($1)', [dataset.file])).n);
    const started = performance.now();
    const scored = await scoreDataset(duck, dataset, model, (done) =>
      context.progress(total > 0 ? (0.9 * done) / total : 0.9),
    );
    const seconds = (performance.now() - started) / 1000;
    // Joined back by position: a row short and every later row would get another row's answer.
    if (scored.rows !== total)
      throw new Error(`Scored ${scored.rows} of the data's ${total} rows; the scores were not kept`);
    const write = writeTarget(config);
    const { stored } = await writeDatasetWithTransforms(
      duck,
      context,
      'scored',
      { sql: `select * from read_parquet($1) positional join ${SCORES_TABLE}`, params: [dataset.file] },
      { file: dataset.file, learned: [] },
    );
    context.log.info(
      `Scored ${scored.rows} rows with ${model.name} in ${seconds.toFixed(2)} s (${Math.round(scored.rows / Math.max(seconds, 1e-9))} rows/s)`,
    );
    const written = write
      ? await writeScoresToPostgres({
          target: write,
          duck,
          scored: await openDataset(duck, stored.ref),
          runId: context.runId,
          lookup: context.connections,
          env: process.env,
          signal: context.signal,
        })
      : undefined;
    if (write && written)
      context.log.info(
        `Wrote ${written.rows} rows to ${write.table} through connection "${write.connection}"${written.replaced ? ` (replacing ${written.replaced} of an earlier attempt)` : ''}`,
      );
    return {
      outputs: { scored: stored.ref },
      summary: {
        rows: scored.rows,
        model: model.name,
        ...(model.version === undefined ? {} : { version: model.version }),
        columns: scored.columns.join(', '),
        seconds: Number(seconds.toFixed(3)),
        ...(write && written ? { written: `${written.rows} rows to ${write.table} (${write.mode})` } : {}),
      },
    };
  } finally {
    duck.close();
  }
};

/** The PostgreSQL write the config asks for, if any: connection and table go together. */
function writeTarget(config: {
  writeConnection?: string;
  writeTable?: string;
  writeMode: WriteTarget['mode'];
}): WriteTarget | undefined {
  const { writeConnection: connection, writeTable: table, writeMode: mode } = config;
  if (!connection && !table) return undefined;
  if (!connection)
    throw new NodeInputError('Name the connection to write the table through', { field: 'writeConnection' });
  if (!table) throw new NodeInputError('Name the table to write the scores to', { field: 'writeTable' });
  return { connection, table, mode };
}

/** The model to score with: the one on the Model port, or the registered one the config names. */
async function scoringModel(
  config: RegistryChoiceConfig,
  connected: ArtifactRef | undefined,
  dataset: DatasetInput,
  context: NodeContext,
): Promise<ScoringModel & { version?: number }> {
  if (connected && config.model)
    throw new NodeInputError(
      `A model is connected to the Model port and the registered model "${config.model}" is named: keep one`,
      { field: 'model' },
    );
  if (connected) return canvasModel(context.artifacts.localPath(connected), dataset);
  if (!config.model)
    throw new NodeInputError('Connect a trained model to the Model port, or name a registered model', {
      field: 'model',
    });
  if (!context.registry) throw new Error('This worker has no model registry (it runs without a database)');
  return registryModel(context.registry, { ...config, model: config.model });
}

type RegistryChoiceConfig = Omit<RegistryChoice, 'model'> & { model?: string };
