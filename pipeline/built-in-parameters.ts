import type { PipelineNode } from './document';
import { findParameterUses } from './parameters';
import type { CompileProblem } from './problems';

/**
 * Parameters every pipeline has without declaring them. Their names start with "$", which a
 * declared parameter's name cannot, so they never clash. `$scheduledTime` is the time a scheduled
 * run was due (ISO 8601, UTC), or the start time of a run started by hand: "train on data up to the
 * scheduled date" then works the same for both.
 */
export const builtInParameters = ['$scheduledTime'] as const;
export type BuiltInParameter = (typeof builtInParameters)[number];
export type BuiltInValues = Partial<Record<BuiltInParameter, string>>;

export function isBuiltInParameter(name: string): name is BuiltInParameter {
  return builtInParameters.some((builtIn) => builtIn === name);
}

/** Given values split into the declared parameters' and the built-ins' (a re-run passes both back). */
export function splitBuiltIns(given: Record<string, unknown>): {
  declared: Record<string, unknown>;
  builtIns: Record<string, unknown>;
} {
  const declared: Record<string, unknown> = {};
  const builtIns: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) {
    if (isBuiltInParameter(name)) builtIns[name] = value;
    // defineProperty, not assignment: a "__proto__" key must stay a key (see parameterValuesSchema).
    else
      Object.defineProperty(declared, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return { declared, builtIns };
}

/**
 * Adds the built-ins' values to `values`: a given one (a re-run's stored $scheduledTime) wins over
 * the one the caller knows (the start time). With `requireValues`, a built-in that a config uses
 * but no one knows is an error: validating for a run outside the run service, for instance.
 */
export function resolveBuiltIns(
  nodes: Iterable<PipelineNode>,
  given: Record<string, unknown>,
  known: BuiltInValues,
  requireValues: boolean,
  values: Map<string, unknown>,
  problems: CompileProblem[],
): void {
  for (const name of builtInParameters) {
    const value = Object.hasOwn(given, name) ? given[name] : known[name];
    if (value === undefined) {
      if (requireValues) reportUnknown(nodes, name, problems);
      continue;
    }
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
      problems.push({
        code: 'invalid-parameter-value',
        severity: 'error',
        parameter: name,
        message: `Parameter "${name}" must be a date and time in ISO 8601, e.g. 2026-01-31T06:00:00.000Z`,
      });
      continue;
    }
    values.set(name, new Date(value).toISOString());
  }
}

function reportUnknown(
  nodes: Iterable<PipelineNode>,
  name: BuiltInParameter,
  problems: CompileProblem[],
): void {
  for (const node of nodes) {
    for (const use of findParameterUses(node.config)) {
      if (use.name !== name) continue;
      problems.push({
        code: 'missing-parameter-value',
        severity: 'error',
        nodeId: node.id,
        field: use.path.join('.'),
        parameter: name,
        message: `Field "${use.path.join('.')}" of node "${node.id}" uses ${name}, which is known only once a run starts (a schedule's run: its scheduled time; a run started by hand: its start time)`,
      });
    }
  }
}
