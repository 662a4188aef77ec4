import type { PipelineDocument, PipelineNode } from './document';
import { describeNode, type SpecLookup } from './graph-checks';
import { findParameterUses, parameterTypeProblem, substituteParameters, touchesUnknown } from './parameters';
import type { CompileProblem } from './problems';

/**
 * The value of each parameter: the given value, else its default. With `requireValues` (starting a
 * run) a parameter without either is a problem; while editing it is simply unknown.
 */
export function resolveParameterValues(
  document: PipelineDocument,
  given: Record<string, unknown>,
  requireValues: boolean,
  problems: CompileProblem[],
): Map<string, unknown> {
  const values = new Map<string, unknown>();
  const declared = new Set<string>();
  for (const parameter of document.parameters) {
    if (declared.has(parameter.name)) {
      problems.push({
        code: 'duplicate-parameter',
        severity: 'error',
        parameter: parameter.name,
        message: `Parameter "${parameter.name}" is declared twice`,
      });
      continue;
    }
    declared.add(parameter.name);
    const value = Object.hasOwn(given, parameter.name) ? given[parameter.name] : parameter.default;
    if (value === undefined) {
      if (requireValues) {
        problems.push({
          code: 'missing-parameter-value',
          severity: 'error',
          parameter: parameter.name,
          message: `Parameter "${parameter.name}" needs a value`,
        });
      }
      continue;
    }
    const typeProblem = parameterTypeProblem(parameter.type, value);
    if (typeProblem) {
      problems.push({
        code: 'invalid-parameter-value',
        severity: 'error',
        parameter: parameter.name,
        message: `Parameter "${parameter.name}" ${typeProblem} (${parameter.type})`,
      });
      continue;
    }
    values.set(parameter.name, value);
  }
  for (const name of Object.keys(given)) {
    if (!declared.has(name)) {
      problems.push({
        code: 'undefined-parameter',
        severity: 'error',
        parameter: name,
        message: `This pipeline has no parameter "${name}"`,
      });
    }
  }
  return values;
}

/** Each node's config with parameters substituted and the type's defaults applied, validated. */
export function resolveConfigs(
  nodes: Map<string, PipelineNode>,
  declared: Set<string>,
  values: Map<string, unknown>,
  specOf: SpecLookup,
  problems: CompileProblem[],
): Map<string, Record<string, unknown>> {
  const configs = new Map<string, Record<string, unknown>>();
  for (const node of nodes.values()) {
    const spec = specOf(node.type);
    if (!spec) continue;
    const uses = findParameterUses(node.config);
    for (const use of uses.filter((candidate) => !declared.has(candidate.name))) {
      problems.push({
        code: 'undefined-parameter',
        severity: 'error',
        nodeId: node.id,
        field: use.path.join('.'),
        parameter: use.name,
        message: `Field "${use.path.join('.')}" of ${describeNode(node)} uses an undefined parameter "${use.name}"`,
      });
    }
    const parsed = spec.config.safeParse(
      uses.length === 0 ? node.config : substituteParameters(node.config, values),
    );
    if (parsed.success) {
      configs.set(node.id, parsed.data);
      continue;
    }
    // Fields fed by a parameter without a value yet cannot be judged while editing.
    const unknownFields = uses.filter((use) => !values.has(use.name)).map((use) => use.path);
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join('.');
      if (touchesUnknown(issue.path, unknownFields)) continue;
      // ui is a plain object and the path may hold a key from the document such as "constructor".
      const label = (Object.hasOwn(spec.ui, field) ? spec.ui[field]?.label : undefined) ?? field;
      problems.push({
        code: 'invalid-config',
        severity: 'error',
        nodeId: node.id,
        field,
        message: `${describeNode(node)}: ${label ? `"${label}" ` : ''}${issue.message}`,
      });
    }
  }
  return configs;
}
