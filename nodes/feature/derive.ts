import type { Expression } from 'jsep';
import { expressionSql, parseExpression } from '../_data/expression';
import { quoteIdent } from '../_data/sql';
import type { TableChain } from '../_data/table-chain';
import { dataErrorReason, NodeInputError } from '../_kit/errors';

/**
 * Adds a column computed by an arithmetic expression. A result that overflows (x ^ 1000 ^ 1000 is
 * infinite) or that DuckDB refuses (the logarithm of zero) fails the step here, naming the column,
 * the row and the values it was computed from, rather than later as an unreadable error.
 */
export async function deriveColumn(
  chain: TableChain,
  operation: { name: string; expression: string },
  where: string,
): Promise<void> {
  if (chain.names.includes(operation.name))
    throw new NodeInputError(`A column named "${operation.name}" already exists`, {
      field: `${where}.name`,
      column: operation.name,
    });
  const field = `${where}.expression`;
  const tree = parseExpression(operation.expression, chain.names, field);
  const inputs = [...new Set(columnsOf(tree))];
  await chain.next(
    (prev) =>
      `select *, ${expressionSql(tree, (value) => chain.bind(value))} as ${quoteIdent(operation.name)} from ${prev}`,
  );
  const q = quoteIdent(operation.name);
  // Reserved aliases, so an input column named row_number or result cannot shadow them.
  const bad = await chain
    .all(
      `select __pw_row, ${q} as __pw_result, ${inputs.map(quoteIdent).join(', ') || 'null as __pw_none'} from
        (select row_number() over () as __pw_row, * from ${chain.current})
        where ${q} is not null and not isfinite(${q}) limit 1`,
    )
    .catch((error: unknown) => {
      // A value DuckDB refuses (the logarithm of zero) is the data's; any other fault is retried.
      const reason = dataErrorReason(error);
      if (reason === undefined) throw error;
      throw new NodeInputError(
        `Column "${operation.name}" = ${operation.expression} cannot be computed: ${reason}`,
        {
          field,
          column: operation.name,
        },
      );
    });
  const [row] = bad;
  if (row) {
    const values = inputs.map((name) => `${name} = ${String(row[name])}`).join(', ');
    throw new NodeInputError(
      `Column "${operation.name}" = ${operation.expression} is ${String(row.__pw_result)} on row ${String(row.__pw_row)}${values ? ` (${values})` : ''}: the result is too large for a number`,
      { field, column: operation.name, row: Number(row.__pw_row) },
    );
  }
}

/** Every column an expression reads: plain names and col("any name"). */
function columnsOf(node: Expression): string[] {
  if (node.type === 'Identifier' && typeof node.name === 'string') return [node.name];
  if (node.type === 'CallExpression') {
    const callee = node.callee;
    const args = Array.isArray(node.arguments) ? node.arguments.filter(isExpression) : [];
    const [only] = args;
    if (isExpression(callee) && callee.type === 'Identifier' && callee.name === 'col')
      return only?.type === 'Literal' && typeof only.value === 'string' ? [only.value] : [];
    return args.flatMap(columnsOf);
  }
  return [node.argument, node.left, node.right].filter(isExpression).flatMap(columnsOf);
}

function isExpression(value: unknown): value is Expression {
  return typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string';
}
