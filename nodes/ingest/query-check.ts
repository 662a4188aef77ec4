import { hasSqlDetails, parse } from 'libpg-query';
import { NodeInputError } from '../_kit/errors';

/**
 * Functions a query may not call, by name or prefix (any schema): server files, large objects,
 * other databases, server administration, settings, and the XML helpers that run query text of
 * their own. The role check is the real defence; this list is a second line behind it.
 */
const REFUSED_FUNCTIONS = [
  /^pg_read_/,
  /^pg_ls_/,
  /^pg_stat_file$/,
  /^pg_file_/,
  /^pg_logdir_ls$/,
  /^lo_/,
  /^loread$/,
  /^lowrite$/,
  /^dblink/,
  /^pg_terminate_backend$/,
  /^pg_cancel_backend$/,
  /^pg_reload_conf$/,
  /^pg_rotate_logfile/,
  /^pg_promote$/,
  /^pg_switch_wal$/,
  /^pg_create_/,
  /^pg_drop_replication_slot$/,
  /^pg_replication_/,
  /^pg_logical_/,
  /^pg_import_system_collations$/,
  /^set_config$/,
  /^(query|cursor|table|schema|database)_to_xml/,
];

/** Statement kinds that change data or files; found anywhere, a WITH clause included. */
const WRITING_STATEMENTS = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CopyStmt']);

/**
 * Accepts exactly one SELECT (a WITH … SELECT included) that only reads, parsed by PostgreSQL's own
 * parser; anything else fails naming what was found.
 */
export async function checkReadOnlyQuery(query: string): Promise<void> {
  const refuse = (message: string): never => {
    throw new NodeInputError(message, { field: 'query' });
  };
  const parsed = await parse(query).catch((error: unknown) =>
    refuse(
      `The query is not valid SQL: ${error instanceof Error ? error.message : String(error)}${hasSqlDetails(error) && error.sqlDetails?.cursorPosition !== undefined ? ` (at character ${error.sqlDetails.cursorPosition + 1})` : ''}`,
    ),
  );
  const statements = parsed.stmts ?? [];
  if (statements.length !== 1)
    refuse(`Write one SELECT statement; the query has ${statements.length} statements`);
  const [only] = statements;
  const kind = Object.keys(only?.stmt ?? {})[0] ?? 'nothing';
  if (kind !== 'SelectStmt')
    refuse(`Only a SELECT (or WITH … SELECT) can be run; the query is ${statementName(kind)}`);
  for (const { key, value } of walk(only?.stmt)) {
    if (WRITING_STATEMENTS.has(key))
      refuse(`Only reading is allowed; the query contains ${statementName(key)}`);
    if (key === 'intoClause') refuse('SELECT … INTO creates a table; write a plain SELECT');
    if (key === 'FuncCall') {
      const name = functionName(value);
      if (name && REFUSED_FUNCTIONS.some((pattern) => pattern.test(name)))
        refuse(
          `The query calls ${name}(), which ingest does not allow (server files, large objects, other databases or administration)`,
        );
    }
  }
}

/** Every key and value in the parse tree, depth first. */
function* walk(node: unknown): Generator<{ key: string; value: unknown }> {
  if (Array.isArray(node)) {
    for (const item of node) yield* walk(item);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    yield { key, value };
    yield* walk(value);
  }
}

/** The unqualified, lower-case name of a FuncCall node (pg_catalog.pg_read_file → pg_read_file). */
function functionName(call: unknown): string | undefined {
  if (typeof call !== 'object' || call === null || !('funcname' in call) || !Array.isArray(call.funcname))
    return undefined;
  const last: unknown = call.funcname.at(-1);
  if (typeof last !== 'object' || last === null || !('String' in last)) return undefined;
  const text: unknown = last.String;
  return typeof text === 'object' && text !== null && 'sval' in text && typeof text.sval === 'string'
    ? text.sval.toLowerCase()
    : undefined;
}

const STATEMENT_WORDS = new Map([
  ['VariableSetStmt', 'SET'],
  ['VariableShowStmt', 'SHOW'],
  ['CreateStmt', 'CREATE TABLE'],
  ['CreateTableAsStmt', 'CREATE TABLE AS'],
  ['TransactionStmt', 'transaction'],
  ['ExplainStmt', 'EXPLAIN'],
]);

/** The parse tree's node name in words, with its article: InsertStmt → "an INSERT statement". */
function statementName(kind: string): string {
  const words = STATEMENT_WORDS.get(kind) ?? kind.replace(/Stmt$/, '').toUpperCase();
  return `${/^[AEIOU]/.test(words) ? 'an' : 'a'} ${words} statement`;
}
