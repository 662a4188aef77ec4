import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  type DuckDBType,
  type DuckDBValue,
  LIST,
  listValue,
  VARCHAR,
} from '@duckdb/node-api';
import type { SignatureColumn } from '../../registry/version-schema';
import { openDataset } from '../_data/dataset-input';
import { writeParquet } from '../_data/dataset-output';
import type { LogicalType } from '../_data/dataset-schema';
import { Duck } from '../_data/duck';
import { profileRelation } from '../_data/profile';
import { quoteIdent } from '../_data/sql';
import { writeTransformSpec } from '../_data/transform-spec';
import type { ArtifactRef } from '../_kit/artifact-ref';
import type { NodeRun } from '../_kit/define-node';
import { dataErrorReason, NodeInputError } from '../_kit/errors';
import type { LabelledWindow, MonitoredVersion, MonitoringPort } from '../_kit/monitoring-port';
import type { ingestPredictionsSpec } from './spec';
import { feedbackLabels, targetStorage } from './target-type';
import { checkAppendColumns } from './union';
import { windowOf } from './window';

const STORAGE = { number: 'DOUBLE', boolean: 'BOOLEAN', string: 'VARCHAR' } as const;
/** The lists are bound with their types: DuckDB would take a list's type from its first value. */
const DUCK_TYPES: Record<OutputColumn['storage'], DuckDBType> = { DOUBLE, BIGINT, BOOLEAN, VARCHAR };
const LOGICAL: Record<SignatureColumn['type'], LogicalType> = {
  number: 'numeric',
  boolean: 'boolean',
  string: 'categorical',
};

interface OutputColumn {
  name: string;
  storage: 'DOUBLE' | 'BIGINT' | 'BOOLEAN' | 'VARCHAR';
  values: DuckDBValue[];
}

/**
 * The production version's logged predictions in the window that have feedback, as a dataset of
 * the raw input columns (signature order and types) and the target, plus the added training rows
 * when connected. Written like an ingest's output (Parquet, profile, the raw columns' transform
 * spec), so split, feature and train take it as they take a file.
 */
export const runIngestPredictions: NodeRun<typeof ingestPredictionsSpec> = async (
  { config, inputs },
  context,
) => {
  const monitoring = context.monitoring;
  if (!monitoring) throw new Error('This worker has no model monitoring (it runs without a database)');
  const version = await productionVersion(monitoring, config.model);
  const window = windowOf(config, await monitoring.runStartedAt());
  const labelled = await monitoring.readLabelledLog({
    modelId: version.modelId,
    from: window.from,
    to: window.to,
    signature: version.signature,
  });
  if (labelled.rows === 0)
    throw new NodeInputError(
      `There are no logged predictions with feedback in the window: no prediction of ${version.modelName} made from ${window.from.toISOString()} to ${window.to.toISOString()} has had its true label or value sent. Widen the window, or send feedback for its predictions`,
      { field: window.explicit ? 'from' : 'windowLength' },
    );
  context.progress(0.3);
  const target = targetName(config.target, version);
  const columns = outputColumns(version, labelled, target);
  const duck = await Duck.open();
  try {
    const placeholders = columns.map(
      (column, index) => `unnest($${index + 1}) as ${quoteIdent(column.name)}`,
    );
    await duck.exec(
      `create table labelled as select ${placeholders.join(', ')}`,
      columns.map((column) => listValue(column.values)),
      columns.map((column) => LIST(DUCK_TYPES[column.storage])),
    );
    const appended = inputs.append ? await appendRows(duck, inputs.append, columns) : 0;
    context.progress(0.6);
    const output = context.artifacts.pathFor('data', 'parquet');
    await writeParquet(duck, { sql: 'select * from labelled', params: [] }, output);
    const overrides = new Map<string, LogicalType>(
      version.signature.inputs
        .filter((input) => input.type !== 'string' || input.categories)
        .map((input) => [input.name, LOGICAL[input.type]]),
    );
    const profiled = profileRelation(duck, 'read_parquet($1)', [output], overrides);
    const stored = await context.artifacts.commit('data', 'dataset', output, profiled);
    const { schema, profile } = await profiled;
    // Where every later transform spec starts: the raw columns the served model takes.
    await writeTransformSpec(output, {
      version: 1,
      columns: schema.columns.map(({ name, storage }) => ({ name, storage })),
      steps: [],
    });
    context.log.info(
      `${labelled.rows} labelled predictions of ${version.modelName} (versions ${labelled.versions.join(', ')}) from ${window.from.toISOString()} to ${window.to.toISOString()}${appended ? `, and ${appended} added training rows` : ''}`,
    );
    context.progress(1);
    return {
      outputs: { data: stored.ref },
      summary: {
        rows: profile.rows,
        columns: schema.columns.length,
        model: version.modelName,
        versions: labelled.versions,
        labelled: labelled.rows,
        appended,
        target,
        window: { from: window.from.toISOString(), to: window.to.toISOString() },
      },
    };
  } finally {
    duck.close();
  }
};

async function productionVersion(monitoring: MonitoringPort, modelName: string): Promise<MonitoredVersion> {
  const found = await monitoring.findVersion(modelName);
  if (found.status === 'no-model')
    throw new NodeInputError(`No registered model is named "${modelName}" (see Models)`, { field: 'model' });
  if (found.status === 'no-version')
    throw new NodeInputError(
      `Model "${modelName}" has no production version, whose input columns the dataset would have: promote a version first`,
      { field: 'model' },
    );
  return found.version;
}

function targetName(configured: string, version: MonitoredVersion): string {
  const target = configured || version.target || 'label';
  if (version.signature.inputs.some((input) => input.name === target))
    throw new NodeInputError(
      `The target column "${target}" is also an input of ${version.modelName}: name the target column otherwise`,
      { field: 'target' },
    );
  return target;
}

/** The inputs in the signature's order with its storage types, then the target. */
function outputColumns(version: MonitoredVersion, labelled: LabelledWindow, target: string): OutputColumn[] {
  const inputs = version.signature.inputs.map((input): OutputColumn => {
    const column = labelled.columns.get(input.name);
    if (!column) throw new Error(`No column "${input.name}" was read`);
    const values: DuckDBValue[] =
      column instanceof Float64Array
        ? Array.from(column, (value) =>
            Number.isNaN(value) ? null : input.type === 'boolean' ? value !== 0 : value,
          )
        : [...column];
    return { name: input.name, storage: STORAGE[input.type], values };
  });
  const feedback = feedbackLabels(labelled.truth, version.signature.output);
  const storage = targetStorage(version.signature.output.task, feedback);
  const labels: DuckDBValue[] = feedback.map((label) =>
    label === null ? null : storage === 'VARCHAR' ? String(label) : label,
  );
  return [...inputs, { name: target, storage, values: labels }];
}

/** Adds the connected rows under the logged columns' names and types; returns how many. */
async function appendRows(duck: Duck, ref: ArtifactRef, columns: readonly OutputColumn[]): Promise<number> {
  const dataset = await openDataset(duck, ref);
  checkAppendColumns(
    columns.map((column) => column.name),
    dataset.columns.map((column) => column.name),
  );
  const before = await count(duck);
  const select = columns
    .map((column) => `cast(${quoteIdent(column.name)} as ${column.storage}) as ${quoteIdent(column.name)}`)
    .join(', ');
  await duck
    .exec(`insert into labelled select ${select} from read_parquet($1)`, [dataset.file])
    .catch((error: unknown) => {
      const reason = dataErrorReason(error);
      if (!reason) throw error;
      throw new NodeInputError(`The added training rows do not fit the logged columns' types: ${reason}`, {
        field: 'append',
      });
    });
  return (await count(duck)) - before;
}

async function count(duck: Duck): Promise<number> {
  const { rows } = await duck.one('select count(*)::double as rows from labelled');
  return Number(rows);
}
