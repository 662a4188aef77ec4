import { z } from 'zod';
import { logicalTypeSchema } from '../_data/dataset-schema';
import { defineNode } from '../_kit/define-node';
import { inferIngestColumns } from './infer-columns';

export const sampleDatasets = ['iris', 'breast_cancer', 'diabetes'] as const;
export const fileFormats = ['auto', 'csv', 'tsv', 'parquet', 'json', 'ndjson'] as const;

/** Reads a table into the pipeline: a bundled sample, a file (uploaded, or in PIPEWRIGHT_DATA_FOLDERS), or a query. */
export const ingestSpec = defineNode({
  type: 'ingest',
  version: 1,
  category: 'ingest',
  title: 'Ingest data',
  description:
    'Read a CSV, TSV, Parquet, JSON or NDJSON file, a PostgreSQL query, or a bundled sample dataset.',
  icon: 'database',
  config: z.object({
    source: z.enum(['sample', 'file', 'postgres']).default('sample'),
    sample: z.enum(sampleDatasets).default('iris'),
    /** An uploaded file, or a file in a folder of PIPEWRIGHT_DATA_FOLDERS; usually a pipeline parameter of type file. */
    file: z.string().optional(),
    /** PostgreSQL: the name of a stored connection (Admin → Connections) or of PIPEWRIGHT_CONNECTION_<NAME> on the worker. */
    connection: z.string().optional(),
    /** PostgreSQL: one SELECT, run in a read-only transaction. */
    query: z.string().optional(),
    /** PostgreSQL: most rows the query may return. */
    maxRows: z.number().int().positive().default(10_000_000),
    /** PostgreSQL: most bytes the rows may take (as JSON lines, before compression). */
    maxBytes: z
      .number()
      .int()
      .positive()
      .default(2 * 1024 ** 3),
    format: z.enum(fileFormats).default('auto'),
    delimiter: z.string().length(1, 'must be one character').optional(),
    header: z.boolean().optional(),
    quote: z.string().length(1, 'must be one character').optional(),
    /** Override the detected type of a column: numeric, categorical, boolean, datetime or text. */
    columnTypes: z.record(z.string(), logicalTypeSchema).default({}),
    /** Rows with the wrong number of fields or broken quoting: fail the step, or skip and report them. */
    badRows: z.enum(['fail', 'skip']).default('fail'),
  }),
  ui: {
    source: { label: 'Source', widget: 'select' },
    sample: {
      label: 'Sample dataset',
      widget: 'select',
      help: 'Bundled datasets with their source and licence.',
    },
    file: {
      label: 'File',
      help: 'An uploaded file, or the absolute path of a file in one of the folders the worker lists in PIPEWRIGHT_DATA_FOLDERS.',
    },
    connection: {
      label: 'Connection',
      widget: 'connection',
      help: 'A connection from Admin → Connections, or PIPEWRIGHT_CONNECTION_<NAME> on the worker; the password never enters the pipeline.',
    },
    query: {
      label: 'Query',
      help: 'One SELECT (or WITH … SELECT), run in a read-only transaction with a statement timeout.',
    },
    maxRows: { label: 'Row limit', help: 'PostgreSQL: the step fails past this many rows.', advanced: true },
    maxBytes: {
      label: 'Size limit (bytes)',
      help: 'PostgreSQL: the step fails when the rows take more than this.',
      advanced: true,
    },
    format: {
      label: 'Format',
      widget: 'select',
      help: 'Detected from the file name when set to auto.',
      advanced: true,
    },
    delimiter: { label: 'Delimiter', help: 'Detected when empty.', advanced: true },
    header: { label: 'First row is a header', widget: 'checkbox', advanced: true },
    quote: { label: 'Quote character', advanced: true },
    columnTypes: { label: 'Column types', widget: 'json', advanced: true },
    badRows: {
      label: 'Malformed rows',
      widget: 'select',
      help: 'Fail the step, or skip them and list the first five.',
    },
  },
  inferColumns: inferIngestColumns,
  inputs: {},
  outputs: { data: { kind: 'dataset', label: 'Data' } },
  execution: { startToClose: '2 hours', heartbeat: '30 seconds', maxAttempts: 3 },
});
