import { statSync } from 'node:fs';
import path from 'node:path';
import { DuckDBStructType, type DuckDBValue, structValue, VARCHAR } from '@duckdb/node-api';
import { z } from 'zod';
import { firstUnconvertible, STORAGE_FOR } from '../_data/conversion';
import type { LogicalType } from '../_data/dataset-schema';
import type { Duck } from '../_data/duck';
import { quoteIdent } from '../_data/sql';
import { NodeInputError, shownValue } from '../_kit/errors';
import type { fileFormats } from './spec';

export type FileFormat = Exclude<(typeof fileFormats)[number], 'auto'>;

export interface ReadOptions {
  format: (typeof fileFormats)[number];
  delimiter?: string;
  header?: boolean;
  quote?: string;
  skipBadRows: boolean;
}

/** A table function call over the file, with every value bound as a parameter. */
export interface SourceReader {
  sql: string;
  params: DuckDBValue[];
  format: FileFormat;
}

const EXTENSIONS = new Map<string, FileFormat>([
  ['.csv', 'csv'],
  ['.txt', 'csv'],
  ['.tsv', 'tsv'],
  ['.tab', 'tsv'],
  ['.parquet', 'parquet'],
  ['.json', 'json'],
  ['.ndjson', 'ndjson'],
  ['.jsonl', 'ndjson'],
]);

export function detectFormat(file: string, requested: ReadOptions['format']): FileFormat {
  if (requested !== 'auto') return requested;
  const format = EXTENSIONS.get(path.extname(file).toLowerCase());
  if (!format)
    throw new NodeInputError(
      `Cannot tell the format of ${path.basename(file)} from its name; choose one under Format`,
      { field: 'format' },
    );
  return format;
}

/**
 * How to read the file. CSV is read in two passes: DuckDB's sniffer (told to tolerate bad rows, so
 * a few of them cannot derail it) finds the dialect and the columns, then the file is read with that
 * dialect fixed and strict mode on, so every malformed row is an error or a rejected row with its line.
 */
export async function sourceReader(duck: Duck, file: string, options: ReadOptions): Promise<SourceReader> {
  const fileName = path.basename(file);
  if (statSync(file).size === 0) throw new NodeInputError(`${fileName} is empty`, { field: 'file' });
  const format = detectFormat(file, options.format);
  if (format === 'parquet') return { sql: 'read_parquet($1)', params: [file], format };
  if (format === 'json' || format === 'ndjson') {
    return {
      sql: `read_json($1, format = '${format === 'json' ? 'array' : 'newline_delimited'}')`,
      params: [file],
      format,
    };
  }
  const dialect = await sniffCsv(duck, file, format, options).catch((error: unknown) => {
    throw describeReadError(error, fileName, format);
  });
  await bindCsvColumns(duck, dialect.columns);
  const params: DuckDBValue[] = [file, dialect.delimiter, dialect.quote, dialect.escape, dialect.header];
  const named = [
    'auto_detect = false',
    'delim = $2',
    'quote = $3',
    'escape = $4',
    'header = $5',
    `columns = getvariable('${CSV_COLUMNS_VARIABLE}')`,
    'strict_mode = true',
  ];
  if (options.skipBadRows) named.push('ignore_errors = true', 'store_rejects = true');
  return { sql: `read_csv($1, ${named.join(', ')})`, params, format };
}

interface CsvDialect {
  delimiter: string;
  quote: string;
  escape: string;
  header: boolean;
  /** Column names and DuckDB types, in file order. */
  columns: { name: string; type: string }[];
}

const CSV_COLUMNS_VARIABLE = 'pw_csv_columns';

/**
 * Sets the session variable read_csv takes its columns from (a struct of name → type), with the
 * struct's type given: left to infer it, the DuckDB client builds it in a plain object, where a
 * column named `__proto__` disappears.
 */
async function bindCsvColumns(duck: Duck, columns: CsvDialect['columns']): Promise<void> {
  const names = columns.map((column) => column.name);
  await duck.exec(
    `set variable ${CSV_COLUMNS_VARIABLE} = $1`,
    [structValue(Object.fromEntries(columns.map((column) => [column.name, column.type])))],
    [
      new DuckDBStructType(
        names,
        names.map(() => VARCHAR),
      ),
    ],
  );
}

async function sniffCsv(
  duck: Duck,
  file: string,
  format: FileFormat,
  options: ReadOptions,
): Promise<CsvDialect> {
  const params: DuckDBValue[] = [file];
  // Booleans are not guessed: DuckDB would read yes/no labels as true/false. Columns types can say so.
  const named = [
    'ignore_errors = true',
    "auto_type_candidates = ['BIGINT', 'DOUBLE', 'DATE', 'TIMESTAMP', 'VARCHAR']",
  ];
  const bind = (option: string, value: DuckDBValue) => {
    params.push(value);
    named.push(`${option} = $${params.length}`);
  };
  const delimiter = options.delimiter ?? (format === 'tsv' ? '\t' : undefined);
  if (delimiter !== undefined) bind('delim', delimiter);
  if (options.header !== undefined) bind('header', options.header);
  if (options.quote !== undefined) bind('quote', options.quote);
  const sniffed = await duck.one(
    `select Delimiter, Quote, Escape, HasHeader, Columns::json as columns from sniff_csv($1, ${named.join(', ')})`,
    params,
  );
  const columns = z
    .array(z.object({ name: z.string(), type: z.string() }))
    .parse(JSON.parse(String(sniffed.columns)));
  // The sniffer says "(empty)" when the sample it read had no quoting; standard CSV quoting is the safe reading.
  const quote = options.quote ?? nonEmpty(sniffed.Quote) ?? '"';
  return {
    delimiter: delimiter ?? nonEmpty(sniffed.Delimiter) ?? ',',
    quote,
    escape: nonEmpty(sniffed.Escape) ?? quote,
    header: options.header ?? sniffed.HasHeader === true,
    columns,
  };
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '(empty)' && value !== '' ? value : undefined;
}

/**
 * The select list that applies the analyst's type overrides. A value that does not convert fails
 * the step, naming the column, the value and its row, instead of silently becoming empty.
 */
export async function typedSelectList(
  duck: Duck,
  reader: SourceReader,
  columns: { name: string; storage: string }[],
  overrides: ReadonlyMap<string, LogicalType>,
  fileName: string,
): Promise<string> {
  const known = new Set(columns.map((column) => column.name));
  for (const name of overrides.keys()) {
    if (!known.has(name))
      throw new NodeInputError(`Column "${name}" in Column types is not in ${fileName}`, {
        field: 'columnTypes',
        column: name,
      });
  }
  const parts: string[] = [];
  for (const column of columns) {
    const q = quoteIdent(column.name);
    const wanted = overrides.get(column.name);
    if (!wanted || STORAGE_FOR[wanted] === column.storage) {
      parts.push(q);
      continue;
    }
    const bad = await firstUnconvertible(duck, reader.sql, reader.params, column.name, wanted);
    if (bad) {
      throw new NodeInputError(
        `Column "${column.name}" cannot be read as ${wanted}: value ${shownValue(bad.value)} on row ${bad.row}`,
        {
          column: column.name,
          row: bad.row,
        },
      );
    }
    parts.push(`try_cast(${q} as ${STORAGE_FOR[wanted]}) as ${q}`);
  }
  return parts.join(', ');
}

/** DuckDB's reading errors in words an analyst can act on, naming the file (and line, when DuckDB gives one). */
export function describeReadError(error: unknown, fileName: string, format: FileFormat): NodeInputError {
  const message = error instanceof Error ? error.message : String(error);
  if (/invalid unicode|utf-?8/i.test(message)) {
    return new NodeInputError(
      `${fileName} is not UTF-8 text${lineOf(message)}; save it as UTF-8 and upload it again`,
    );
  }
  if (format === 'parquet' && /magic bytes|not a parquet|invalid input/i.test(message)) {
    return new NodeInputError(`${fileName} is not a Parquet file (its content does not match its name)`);
  }
  if ((format === 'json' || format === 'ndjson') && /json/i.test(message)) {
    return new NodeInputError(
      `${fileName} is not valid ${format === 'json' ? 'JSON (an array of objects)' : 'NDJSON (one object per line)'}${lineOf(message)}: ${firstLine(message)}`,
    );
  }
  return new NodeInputError(`${fileName}${lineOf(message)}: ${firstLine(message)}`);
}

function lineOf(message: string): string {
  const match = /line[: ]+(\d+)/i.exec(message);
  return match ? ` (line ${match[1]})` : '';
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.replace(/^[A-Za-z ]+Error: /, '') ?? message;
}
