import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { envSchema } from '../../config/env';
import { resolveReadableFile } from '../_data/data-dir-path';
import { writeParquet } from '../_data/dataset-output';
import { Duck, numberOf } from '../_data/duck';
import { describeRelation, profileRelation } from '../_data/profile';
import { writeTransformSpec } from '../_data/transform-spec';
import type { NodeContext } from '../_kit/context';
import type { NodeRun } from '../_kit/define-node';
import { NodeInputError } from '../_kit/errors';
import { exportQuery } from './postgres-source';
import { describeReadError, sourceReader, typedSelectList } from './read-source';
import type { ingestSpec } from './spec';

const samplesDir = fileURLToPath(new URL('./samples/', import.meta.url));

/** How many skipped rows the step's report lists. */
const REPORTED_BAD_ROWS = 5;

export const runIngest: NodeRun<typeof ingestSpec> = async ({ config }, context) => {
  const file = await sourceFile(config, context);
  const fileName = config.source === 'postgres' ? `the query on ${config.connection}` : path.basename(file);
  const duck = await Duck.open();
  try {
    const reader = await sourceReader(duck, file, {
      format: config.source === 'postgres' ? 'ndjson' : config.format,
      delimiter: config.delimiter,
      header: config.header,
      quote: config.quote,
      skipBadRows: config.badRows === 'skip',
    });
    const columns = await describeRelation(duck, reader.sql, reader.params).catch((error: unknown) => {
      throw describeReadError(error, fileName, reader.format);
    });
    if (columns.length === 0) throw new NodeInputError(`${fileName} has no columns`, { field: 'file' });
    // A Map, so a column named like an object's own keys (constructor, toString) is only a column.
    const columnTypes = new Map(Object.entries(config.columnTypes));
    const selectList = await typedSelectList(duck, reader, columns, columnTypes, fileName);
    context.progress(0.1);
    const output = context.artifacts.pathFor('data', 'parquet');
    const rows = { sql: `select ${selectList} from ${reader.sql}`, params: reader.params };
    await writeParquet(duck, rows, output).catch((error: unknown) => {
      throw isWriteFailure(error, output)
        ? writeFailure(error, output)
        : describeReadError(error, fileName, reader.format);
    });
    context.progress(0.7);
    const badRows = config.badRows === 'skip' ? await rejectedRows(duck) : { count: 0, first: [] };
    if (badRows.count > 0)
      context.log.warn(`Skipped ${badRows.count} malformed rows of ${fileName}`, { first: badRows.first });
    const profiled = profileRelation(duck, 'read_parquet($1)', [output], columnTypes);
    // Committed while profiling runs; a step that fails afterwards records none of its artifacts.
    const stored = await context.artifacts.commit('data', 'dataset', output, profiled);
    const { schema, profile } = await profiled;
    // Where every later transform spec starts: the raw columns a served model will be given.
    await writeTransformSpec(output, {
      version: 1,
      columns: schema.columns.map(({ name, storage }) => ({ name, storage })),
      steps: [],
    });
    if (profile.rows === 0)
      throw new NodeInputError(`${fileName} has a header but no data rows`, { field: 'file' });
    return {
      outputs: { data: stored.ref },
      summary: {
        rows: profile.rows,
        columns: schema.columns.length,
        file: fileName,
        skippedRows: badRows.count,
        firstSkippedRows: badRows.first,
      },
    };
  } finally {
    duck.close();
    // The exported rows were only a way into DuckDB; the Parquet output is what stays, on
    // success or failure (a retry exports them again).
    if (config.source === 'postgres') await rm(file, { force: true });
  }
};

/**
 * Whether writing the output failed, not reading the source: a file-system error of the write, fsync
 * or rename (Node's errors carry a code: ENOSPC, EIO, EISDIR), or DuckDB failing to open or write
 * its file in the output's folder. Such a failure is the server's, not the data's: it is retried,
 * and never reported as a problem with the user's file.
 */
function isWriteFailure(error: unknown, output: string): boolean {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return true;
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith('IO Error') && message.includes(path.dirname(output));
}

/** A write failure as a retryable error that names the output file, not the server's folders. */
function writeFailure(error: unknown, output: string): Error {
  const folder = `${path.dirname(output)}${path.sep}`;
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  return new Error(`Could not write ${path.basename(output)}: ${reason.replaceAll(folder, '')}`, {
    cause: error,
  });
}

/** The file to read: a bundled sample, an uploaded file or one in a data folder, or a query's rows exported to NDJSON. */
async function sourceFile(config: z.infer<typeof ingestSpec.config>, context: NodeContext): Promise<string> {
  if (config.source === 'sample') return path.join(samplesDir, `${config.sample}.csv`);
  if (config.source === 'file') return requireFile(config.file, context.dataDir);
  if (!config.connection) throw new NodeInputError('Choose the connection to query', { field: 'connection' });
  if (!config.query?.trim()) throw new NodeInputError('Write the query to run', { field: 'query' });
  const file = context.artifacts.pathFor('query-rows', 'ndjson');
  const rows = await exportQuery({
    connection: config.connection,
    query: config.query,
    file,
    env: process.env,
    lookup: context.connections,
    signal: context.signal,
    limits: { rows: config.maxRows, bytes: config.maxBytes },
  });
  context.log.info(`The query returned ${rows} rows`);
  return file;
}

function requireFile(file: string | undefined, dataDir: string): string {
  if (!file)
    throw new NodeInputError('Choose a file to read (or switch Source to a sample dataset)', {
      field: 'file',
    });
  // Read from the worker's environment when the step runs, like the connection URLs.
  const dataFolders = envSchema.shape.PIPEWRIGHT_DATA_FOLDERS.parse(process.env.PIPEWRIGHT_DATA_FOLDERS);
  return resolveReadableFile({ dataDir, dataFolders }, file, 'file');
}

/** Rows DuckDB rejected while reading (with ignore_errors and store_rejects): the count and the first few. */
async function rejectedRows(
  duck: Duck,
): Promise<{ count: number; first: { line: number; error: string }[] }> {
  const { count } = await duck.one('select count(*) as count from reject_errors');
  const first = await duck.all(
    `select line, error_message from reject_errors order by line limit ${REPORTED_BAD_ROWS}`,
  );
  return {
    count: numberOf(count),
    first: first.map((row) => ({ line: numberOf(row.line), error: String(row.error_message) })),
  };
}
