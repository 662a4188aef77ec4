/** What the compiler reports: every problem at once, each pinned to what the editor should highlight. */

export const problemCodes = [
  'invalid-document',
  'duplicate-node-id',
  'unknown-node-type',
  'unknown-edge-endpoint',
  'unknown-port',
  'port-kind-mismatch',
  'multiple-edges-into-input',
  'required-input-unconnected',
  'cycle',
  'invalid-config',
  'unknown-column',
  /** A derived column's expression that cannot be read: a syntax error, too long or too deep. */
  'invalid-expression',
  'undefined-parameter',
  'duplicate-parameter',
  'invalid-parameter-value',
  'missing-parameter-value',
  'disconnected-node',
] as const;

export type ProblemCode = (typeof problemCodes)[number];

export interface CompileProblem {
  code: ProblemCode;
  severity: 'error' | 'warning';
  message: string;
  nodeId?: string;
  edgeId?: string;
  /** Dotted path of the config field, e.g. "columns.0". */
  field?: string;
  /** The node's input port the problem is about (a config field may have the same name). */
  port?: string;
  parameter?: string;
}

export function hasErrors(problems: CompileProblem[]): boolean {
  return problems.some((problem) => problem.severity === 'error');
}
