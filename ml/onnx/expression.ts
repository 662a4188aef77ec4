import type { Expression } from 'jsep';
import type { Column } from './columns';
import type { GraphBuilder } from './graph';
import { isMissing, where } from './ops';

/**
 * A derive expression (jsep tree, checked by the data nodes: numbers, columns, + - * / % ^, unary
 * minus and plus, and log, log10, sqrt, abs, exp, round, min, max) as nodes over double tensors,
 * with DuckDB's semantics: IEEE arithmetic (x / 0 is ±inf, 0 / 0 NaN, % is fmod), round() halves
 * away from zero, min() and max() skip a missing value.
 */

const BINARY: Record<string, string> = {
  '+': 'Add',
  '-': 'Sub',
  '*': 'Mul',
  '/': 'Div',
  '%': 'Mod',
  '^': 'Pow',
};
const FUNCTIONS: Record<string, number> = {
  log: 1,
  log10: 1,
  sqrt: 1,
  abs: 1,
  exp: 1,
  round: 1,
  min: 2,
  max: 2,
};

/** The column names an expression reads, or the reason it cannot be exported. */
export function expressionColumns(node: Expression): string[] | string {
  const names: string[] = [];
  const visit = (current: Expression): string | undefined => {
    switch (current.type) {
      case 'Literal':
        return typeof current.value === 'number' ? undefined : `the literal ${String(current.raw)}`;
      case 'Identifier':
        names.push(String(current.name));
        return undefined;
      case 'UnaryExpression':
        if (current.operator !== '-' && current.operator !== '+')
          return `the operator ${String(current.operator)}`;
        return visit(child(current, 'argument'));
      case 'BinaryExpression':
        if (!BINARY[String(current.operator)]) return `the operator ${String(current.operator)}`;
        return visit(child(current, 'left')) ?? visit(child(current, 'right'));
      case 'CallExpression': {
        const name = calleeName(current);
        const args = argumentsOf(current);
        if (name === 'col') {
          const [only] = args;
          if (args.length !== 1 || only?.type !== 'Literal' || typeof only.value !== 'string')
            return 'col() without one column name';
          names.push(only.value);
          return undefined;
        }
        if (!name || FUNCTIONS[name] !== args.length) return `the function ${name ?? '(expression)'}()`;
        for (const arg of args) {
          const problem = visit(arg);
          if (problem) return problem;
        }
        return undefined;
      }
      default:
        return `a ${current.type}`;
    }
  };
  return visit(node) ?? names;
}

/** Builds the expression; `columns` holds every column it reads. Returns a double tensor [N, 1]. */
export function buildExpression(
  graph: GraphBuilder,
  node: Expression,
  columns: ReadonlyMap<string, Column>,
): string {
  const column = (name: string) => {
    const found = columns.get(name);
    if (!found) throw new Error(`expression column "${name}" was not resolved`);
    return found.tensor();
  };
  const build = (current: Expression): string => {
    switch (current.type) {
      case 'Literal':
        return graph.double(Number(current.value));
      case 'Identifier':
        return column(String(current.name));
      case 'UnaryExpression': {
        const argument = build(child(current, 'argument'));
        return current.operator === '-' ? graph.one('Neg', [argument]) : argument;
      }
      case 'BinaryExpression': {
        const operator = String(current.operator);
        const inputs = [build(child(current, 'left')), build(child(current, 'right'))];
        return graph.one(
          BINARY[operator] ?? '',
          inputs,
          operator === '%' ? { fmod: { type: 'int', value: 1 } } : {},
        );
      }
      case 'CallExpression': {
        const name = calleeName(current) ?? '';
        const args = argumentsOf(current);
        if (name === 'col') return column(String(args[0]?.value));
        const [a = '', b = ''] = args.map(build);
        switch (name) {
          case 'log':
            return graph.one('Log', [a]);
          case 'log10':
            return log10(graph, a);
          case 'sqrt':
            return graph.one('Sqrt', [a]);
          case 'abs':
            return graph.one('Abs', [a]);
          case 'exp':
            return graph.one('Exp', [a]);
          case 'round':
            return roundHalfAway(graph, a);
          case 'min':
          case 'max':
            return skipMissing(graph, name === 'min' ? 'Min' : 'Max', a, b);
        }
        throw new Error(`unchecked function ${name}()`);
      }
      default:
        throw new Error(`unchecked expression node ${current.type}`);
    }
  };
  return build(node);
}

/**
 * log10(x) as ln(x) / ln(10), then snapped to the integer r when 10^r is x, so exact powers of ten
 * give exact integers as DuckDB's log10 does (elsewhere the two agree within an ulp or two).
 */
function log10(graph: GraphBuilder, x: string): string {
  const y = graph.one('Div', [graph.one('Log', [x]), graph.double(Math.LN10)]);
  const nearest = graph.one('Round', [y]);
  const power = graph.one('Pow', [graph.double(10), nearest]);
  return where(graph, graph.one('Equal', [power, x]), nearest, y);
}

/** DuckDB's round(x): half away from zero (ONNX Round rounds half to even). */
function roundHalfAway(graph: GraphBuilder, x: string): string {
  const magnitude = graph.one('Abs', [x]);
  const whole = graph.one('Floor', [magnitude]);
  // |x| − floor(|x|) is exact in floating point.
  const fraction = graph.one('Sub', [magnitude, whole]);
  const up = graph.one('GreaterOrEqual', [fraction, graph.double(0.5)]);
  const rounded = where(graph, up, graph.one('Add', [whole, graph.double(1)]), whole);
  return graph.one('Mul', [graph.one('Sign', [x]), rounded]);
}

/** DuckDB's least/greatest: a missing argument is skipped; both missing gives missing. */
function skipMissing(graph: GraphBuilder, op: 'Min' | 'Max', a: string, b: string): string {
  return where(graph, isMissing(graph, a), b, where(graph, isMissing(graph, b), a, graph.one(op, [a, b])));
}

function child(node: Expression, key: 'argument' | 'left' | 'right'): Expression {
  const value = node[key];
  if (typeof value === 'object' && value !== null && 'type' in value) return value as Expression;
  return { type: 'Missing' };
}

function argumentsOf(node: Expression): Expression[] {
  const args = node.arguments;
  return Array.isArray(args)
    ? args.filter((arg): arg is Expression => typeof arg === 'object' && arg !== null && 'type' in arg)
    : [];
}

function calleeName(node: Expression): string | undefined {
  const callee = node.callee;
  return typeof callee === 'object' && callee !== null && 'type' in callee && callee.type === 'Identifier'
    ? String(callee.name)
    : undefined;
}
