import {
  DOUBLE,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBPreparedStatement,
  type DuckDBResultReader,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';

export type Plain = string | number | boolean | null;
export type PlainRow = Record<string, Plain>;

/**
 * An in-memory DuckDB for one step. Data stays in Parquet files; DuckDB streams it, so a 2 GB file
 * never sits whole in memory. Every value from outside goes in as a bound parameter.
 */
export class Duck {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(options: { memoryLimit?: string; threads?: number } = {}): Promise<Duck> {
    const instance = await DuckDBInstance.create(':memory:', {
      memory_limit: options.memoryLimit ?? '1GB',
      threads: String(options.threads ?? 2),
    });
    return new Duck(instance, await instance.connect());
  }

  /** `types`: the parameters' DuckDB types, where inferring them from the values would lose something. */
  async exec(sql: string, params: DuckDBValue[] = [], types: DuckDBType[] = []): Promise<void> {
    if (params.length === 0) await this.connection.run(sql);
    else await this.withStatement(sql, params, types, (statement) => statement.run());
  }

  async all(sql: string, params: DuckDBValue[] = []): Promise<PlainRow[]> {
    return rowObjects(await this.readAll(sql, params), plain);
  }

  /** Rows with DuckDB's own JS values (lists, maps as entry arrays, bigints), for nested results. */
  async raw(sql: string, params: DuckDBValue[] = []): Promise<Record<string, unknown>[]> {
    return rowObjects(await this.readAll(sql, params), (value) => value);
  }

  private readAll(sql: string, params: DuckDBValue[]): Promise<DuckDBResultReader> {
    if (params.length === 0) return this.connection.runAndReadAll(sql);
    return this.withStatement(sql, params, [], (statement) => statement.runAndReadAll());
  }

  /**
   * Runs one prepared statement with its parameters bound. A number is bound as DOUBLE unless it is
   * a safe integer: the client would bind 1e200 (an integer, to JavaScript) as BIGINT and fail.
   */
  private async withStatement<T>(
    sql: string,
    params: DuckDBValue[],
    types: DuckDBType[],
    use: (statement: DuckDBPreparedStatement) => Promise<T>,
  ): Promise<T> {
    const statement = await this.connection.prepare(sql);
    try {
      for (const [index, value] of params.entries()) {
        const unsafeInteger =
          typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value);
        statement.bindValue(index + 1, value, types[index] ?? (unsafeInteger ? DOUBLE : undefined));
      }
      return await use(statement);
    } finally {
      statement.destroySync();
    }
  }

  /**
   * Streams a result chunk by chunk (about 2048 rows each) as columns of values, so large reads
   * never build one object per row.
   */
  forEachChunk(
    sql: string,
    params: DuckDBValue[],
    visit: (columns: DuckDBValue[][], rows: number) => void | Promise<void>,
  ): Promise<void> {
    return this.forEachDataChunk(sql, params, (chunk) =>
      visit(
        Array.from({ length: chunk.columnCount }, (_, index) => chunk.getColumnValues(index)),
        chunk.rowCount,
      ),
    );
  }

  /**
   * Streams a result as DuckDB's own chunks, for readers that take whole columns at once (see
   * chunk-columns.ts). A chunk is valid only until `visit` returns (or its promise settles).
   */
  async forEachDataChunk(
    sql: string,
    params: DuckDBValue[],
    visit: (chunk: DuckDBDataChunk) => void | Promise<void>,
  ): Promise<void> {
    const result =
      params.length === 0
        ? await this.connection.stream(sql)
        : await this.withStatement(sql, params, [], (statement) => statement.stream());
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) return;
      await visit(chunk);
    }
  }

  /**
   * Appends rows to a table value by value, far cheaper than INSERTs for many rows, on a connection
   * of its own: the appender writes to the table as it fills, and a write on this connection would
   * end a result being streamed on it (forEachChunk would then stop early, silently). The table
   * must be a plain one (a temp table is its connection's alone). Close it to write the last rows.
   */
  async appender(table: string): Promise<{ appender: DuckDBAppender; close(): void }> {
    const connection = await this.instance.connect();
    const appender = await connection.createAppender(table);
    return {
      appender,
      close() {
        try {
          appender.closeSync();
        } finally {
          connection.closeSync();
        }
      },
    };
  }

  async one(sql: string, params: DuckDBValue[] = []): Promise<PlainRow> {
    const [row] = await this.all(sql, params);
    if (!row) throw new Error(`query returned no row: ${sql.slice(0, 80)}`);
    return row;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * Rows as objects keyed by column name, built with Object.fromEntries: it defines each key as the
 * row's own property, so a column named `__proto__` stays a column (assignment would set the
 * object's prototype instead, which the client's own row objects do).
 */
function rowObjects<T>(reader: DuckDBResultReader, convert: (value: unknown) => T): Record<string, T>[] {
  const names = reader.columnNames();
  return reader
    .getRowsJS()
    .map((row) => Object.fromEntries(names.map((name, index) => [name, convert(row[index])])));
}

/** JSON-safe value: BIGINT as a number, dates and decimals as their text. */
function plain(value: unknown): Plain {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

export function numberOf(value: Plain | undefined): number {
  return typeof value === 'number' ? value : Number(value ?? Number.NaN);
}
