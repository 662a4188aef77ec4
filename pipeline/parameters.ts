import { z } from 'zod';
import type { ParameterType, PipelineParameter } from './document';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parameter values by name, as a client sends them (`runs.start`, `pipelines.validate`). Not
 * z.record: it drops a "__proto__" key without a word, so a value sent under that name would vanish
 * and the default be used instead. The parsed object passes through with every own key, and the
 * compiler reports a name the pipeline lacks.
 */
export const parameterValuesSchema = z.custom<Record<string, unknown>>(
  isObject,
  'must be an object of parameter values by name',
);

/** A config value that stands for a pipeline parameter: {"$param": "name"}. */
export function parameterReference(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  // Asked of every object in every config: most have no "$param", and are passed without listing keys.
  if (!Object.hasOwn(value, '$param')) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== '$param') return undefined;
  const name = Object.values(value)[0];
  return typeof name === 'string' ? name : undefined;
}

export interface ParameterUse {
  name: string;
  /** Path inside the node's config, e.g. ['columns', 0]. */
  path: (string | number)[];
}

/** Every parameter reference in a config, with where it stands. */
export function findParameterUses(value: unknown): ParameterUse[] {
  const uses: ParameterUse[] = [];
  collectParameterUses(value, [], uses);
  return uses;
}

/**
 * Appends to `uses` rather than returning and concatenating lists, which every config paid for.
 * `path` is one list, extended and shortened on the way down and up, and copied only for a use:
 * most configs have none, and a new path per value was most of what this allocated.
 */
function collectParameterUses(value: unknown, path: (string | number)[], uses: ParameterUse[]): void {
  if (typeof value !== 'object' || value === null) return;
  const name = parameterReference(value);
  if (name !== undefined) {
    uses.push({ name, path: [...path] });
    return;
  }
  const keys: (string | number)[] = Array.isArray(value) ? [...value.keys()] : Object.keys(value);
  for (const key of keys) {
    path.push(key);
    collectParameterUses(Reflect.get(value, key), path, uses);
    path.pop();
  }
}

/**
 * Whether a validation issue at `path` may come from a value not known yet: one inside it (a list
 * of columns fails as a whole when one entry is a parameter) or around it.
 */
export function touchesUnknown(
  path: readonly PropertyKey[],
  unknown: readonly (string | number)[][],
): boolean {
  const issue = path.map(String);
  return unknown.some((use) => {
    const at = use.map(String);
    const shorter = Math.min(at.length, issue.length);
    return at.slice(0, shorter).every((part, index) => part === issue[index]);
  });
}

/** A copy of the config with each reference replaced by its value; unresolved ones are left out. */
export function substituteParameters(value: unknown, values: Map<string, unknown>): unknown {
  const name = parameterReference(value);
  if (name !== undefined) return values.get(name);
  if (Array.isArray(value)) return value.map((item) => substituteParameters(item, values));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substituteParameters(item, values)]),
    );
  }
  return value;
}

/** Why a value does not fit a parameter type, or undefined when it does. */
export function parameterTypeProblem(type: ParameterType, value: unknown): string | undefined {
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'string':
    case 'file':
      return typeof value === 'string' && value.length > 0 ? undefined : 'must be a non-empty text';
  }
}

/** Turns command-line or form text into a parameter value of the declared type. */
export function coerceParameterText(parameter: PipelineParameter, text: string): unknown {
  if (parameter.type === 'number') return text.trim() === '' ? Number.NaN : Number(text);
  if (parameter.type === 'boolean') {
    if (/^(true|yes|1)$/i.test(text)) return true;
    if (/^(false|no|0)$/i.test(text)) return false;
    return text;
  }
  return text;
}
