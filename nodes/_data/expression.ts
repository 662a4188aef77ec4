import type { DuckDBValue } from '@duckdb/node-api';
import jsep, { type Expression } from 'jsep';
import { NodeInputError } from '../_kit/errors';
import { quoteIdent } from './sql';

// jsep is configured once for arithmetic only: every other operator and literal becomes a parse
// error with its position, instead of something we would have to refuse later.
jsep.removeAllBinaryOps();
jsep.removeAllUnaryOps();
jsep.removeAllLiterals();
for (const [operator, precedence] of [
  ['+', 9],
  ['-', 9],
  ['*', 10],
  ['/', 10],
  ['%', 10],
] as const)
  jsep.addBinaryOp(operator, precedence);
jsep.addBinaryOp('^', 11, true);
jsep.addUnaryOp('-');
jsep.addUnaryOp('+');

// A Map, not an object literal: a name typed by the user such as "constructor" must not find
// Object.prototype's members.
const FUNCTIONS = new Map<string, { arity: number; sql: string }>([
  ['log', { arity: 1, sql: 'ln' }],
  ['log10', { arity: 1, sql: 'log10' }],
  ['sqrt', { arity: 1, sql: 'sqrt' }],
  ['abs', { arity: 1, sql: 'abs' }],
  ['exp', { arity: 1, sql: 'exp' }],
  ['round', { arity: 1, sql: 'round' }],
  ['min', { arity: 2, sql: 'least' }],
  ['max', { arity: 2, sql: 'greatest' }],
]);

/**
 * Limits that keep parsing, checking and SQL generation (all recursive) far from the stack's end:
 * a 12,000-term expression used to overflow it. A derived column needing more is better split in
 * several. DuckDB's own parser stops at 1,000 levels.
 */
export const MAX_EXPRESSION_LENGTH = 4000;
export const MAX_EXPRESSION_DEPTH = 100;

/** A checked arithmetic expression over columns, as a tree (stored in the transform spec). */
export type ExpressionTree = Expression;

/**
 * Parses `price * quantity`, `log(income + 1)`, `col("unit price") / 2`: numbers, columns (plain
 * names, or col("any name") for names with spaces or symbols), + - * / % ^, and a few functions.
 */
export function parseExpression(text: string, columns: readonly string[], field: string): ExpressionTree {
  const fail = (message: string): never => {
    throw new NodeInputError(message, { field });
  };
  if (text.length > MAX_EXPRESSION_LENGTH) {
    fail(
      `Expression is ${text.length.toLocaleString('en-US')} characters long; the limit is ${MAX_EXPRESSION_LENGTH.toLocaleString('en-US')}. Split it into several derived columns.`,
    );
  }
  let tree: Expression;
  try {
    tree = jsep(text);
  } catch (error) {
    // jsep descends recursively into brackets and signs: a few thousand of them end the stack.
    if (error instanceof RangeError) fail(tooDeep(text, `more than ${MAX_EXPRESSION_DEPTH}`));
    const index =
      typeof error === 'object' && error !== null && 'index' in error ? Number(error.index) : undefined;
    const message = error instanceof Error ? error.message.replace(/ at character \d+$/, '') : String(error);
    throw new NodeInputError(
      `Expression ${JSON.stringify(text)}: ${message}${index === undefined ? '' : ` at position ${index + 1}`}`,
      { field },
    );
  }
  const depth = depthOf(tree);
  if (depth > MAX_EXPRESSION_DEPTH) fail(tooDeep(text, String(depth)));
  check(tree, text, columns, field);
  return tree;
}

function tooDeep(text: string, depth: string): string {
  return `Expression ${JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text)} is nested ${depth} levels deep (each operator, sign or function adds one); the limit is ${MAX_EXPRESSION_DEPTH}. Split it into several derived columns.`;
}

/** Levels of the tree, counted without recursion, so a tree of any depth is measured safely. */
function depthOf(root: Expression): number {
  let deepest = 0;
  const pending: [Expression, number][] = [[root, 1]];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const [node, depth] = item;
    deepest = Math.max(deepest, depth);
    for (const child of [node.argument, node.left, node.right, ...argumentsOf(node)])
      if (isExpression(child)) pending.push([child, depth + 1]);
  }
  return deepest;
}

function check(node: Expression, text: string, columns: readonly string[], field: string): void {
  const fail = (message: string, column?: string): never => {
    throw new NodeInputError(`Expression ${JSON.stringify(text)}: ${message}`, { field, column });
  };
  switch (node.type) {
    case 'Literal':
      if (typeof node.value !== 'number' || !Number.isFinite(node.value)) {
        fail(
          `only numbers are allowed, not ${String(node.raw)} at position ${text.indexOf(String(node.raw)) + 1}`,
        );
      }
      return;
    case 'Identifier':
      if (typeof node.name !== 'string' || !columns.includes(node.name))
        fail(`there is no column "${String(node.name)}"`, String(node.name));
      return;
    case 'UnaryExpression':
      check(argumentOf(node, 'argument', fail), text, columns, field);
      return;
    case 'BinaryExpression':
      check(argumentOf(node, 'left', fail), text, columns, field);
      check(argumentOf(node, 'right', fail), text, columns, field);
      return;
    case 'CallExpression': {
      const name = calleeName(node);
      const args = argumentsOf(node);
      if (name === 'col') {
        const [only] = args;
        if (args.length !== 1 || only?.type !== 'Literal' || typeof only.value !== 'string')
          fail('col() takes one column name in quotes');
        else if (!columns.includes(String(only.value)))
          fail(`there is no column "${String(only.value)}"`, String(only.value));
        return;
      }
      // A Map, so `constructor(x)` is an unknown function, not Object's constructor.
      const known = name === undefined ? undefined : FUNCTIONS.get(name);
      if (!known)
        fail(
          `unknown function ${name ?? '(expression)'}(); use ${[...FUNCTIONS.keys()].join(', ')} or col()`,
        );
      else if (args.length !== known.arity)
        fail(`${name}() takes ${known.arity} argument${known.arity === 1 ? '' : 's'}`);
      for (const arg of args) check(arg, text, columns, field);
      return;
    }
    default: {
      const position = text.search(/[.[\]?:,;]/);
      fail(
        `${node.type.replace('Expression', '').toLowerCase()} is not allowed${position >= 0 ? ` at position ${position + 1}` : ''}`,
      );
    }
  }
}

/** SQL for a checked tree: columns quoted, numbers bound, operators and functions from a fixed list. */
export function expressionSql(node: Expression, bind: (value: DuckDBValue) => string): string {
  switch (node.type) {
    case 'Literal':
      return `${bind(Number(node.value))}::double`;
    case 'Identifier':
      return `${quoteIdent(String(node.name))}::double`;
    case 'UnaryExpression':
      return `(${node.operator === '-' ? '-' : '+'}${expressionSql(argumentOf(node, 'argument'), bind)})`;
    case 'BinaryExpression': {
      const operator = node.operator === '^' ? '**' : String(node.operator);
      return `(${expressionSql(argumentOf(node, 'left'), bind)} ${operator} ${expressionSql(argumentOf(node, 'right'), bind)})`;
    }
    case 'CallExpression': {
      const name = calleeName(node) ?? '';
      const args = argumentsOf(node);
      if (name === 'col')
        return `${quoteIdent(String(args[0]?.type === 'Literal' ? args[0].value : ''))}::double`;
      return `${FUNCTIONS.get(name)?.sql ?? 'unreachable'}(${args.map((arg) => expressionSql(arg, bind)).join(', ')})`;
    }
    default:
      throw new Error(`unchecked expression node ${node.type}`);
  }
}

function argumentOf(
  node: Expression,
  key: 'argument' | 'left' | 'right',
  fail?: (message: string) => never,
): Expression {
  const child = node[key];
  if (isExpression(child)) return child;
  if (fail) return fail('incomplete expression');
  throw new Error('incomplete expression');
}

function argumentsOf(node: Expression): Expression[] {
  const args = node.arguments;
  return Array.isArray(args) ? args.filter(isExpression) : [];
}

function calleeName(node: Expression): string | undefined {
  const callee = node.callee;
  return isExpression(callee) && callee.type === 'Identifier' && typeof callee.name === 'string'
    ? callee.name
    : undefined;
}

function isExpression(value: unknown): value is Expression {
  return typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string';
}
