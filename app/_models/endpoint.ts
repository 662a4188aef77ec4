import type { ModelSignature } from '../../registry/version-schema';

/**
 * Where a model is called and how: its serving URL for a target (an alias or a version), an example
 * body from its signature, and the curl, Python and JavaScript snippets the model page shows. The
 * key is always a placeholder read from the environment, never a real key. Pure.
 */

/** What a request is sent to: an alias (production is the default) or one version. */
export type EndpointTarget = { alias: 'production' | 'staging' } | { version: number };

/** The predict path of a model for a target, below an origin (serving's, or the app's for Try it). */
export function predictPath(name: string, target: EndpointTarget): string {
  const model = `/api/v1/models/${encodeURIComponent(name)}`;
  if ('version' in target) return `${model}/versions/${target.version}/predict`;
  return target.alias === 'production' ? `${model}/predict` : `${model}/predict?alias=${target.alias}`;
}

type Value = string | number | boolean | null;

/** One plausible row: a known category, 0 for numbers, true for booleans, "text" for free text. */
export function exampleRow(signature: ModelSignature): Record<string, Value> {
  return Object.fromEntries(
    signature.inputs.map((input) => {
      if (input.type === 'number') return [input.name, 0];
      if (input.type === 'boolean') return [input.name, true];
      return [input.name, input.categories?.[0] ?? 'text'];
    }),
  );
}

/** The variable the snippets read the key from. */
export const KEY_VARIABLE = 'PIPEWRIGHT_API_KEY';

/** A string in single quotes for a POSIX shell: a quote inside becomes '\''. */
function shellQuoted(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** A JSON value written as a Python literal (True, False, None; JSON's string escapes are Python's). */
export function pythonLiteral(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'None';
  if (typeof value === 'string') return JSON.stringify(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => `${inner}${pythonLiteral(item, inner)}`).join(',\n')},\n${indent}]`;
  }
  const entries = Object.entries(Object(value));
  if (entries.length === 0) return '{}';
  const lines = entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${pythonLiteral(item, inner)}`);
  return `{\n${lines.join(',\n')},\n${indent}}`;
}

export interface Snippets {
  curl: string;
  python: string;
  javascript: string;
}

/** The three snippets for calling `url` with `body`. */
export function snippetsFor(url: string, body: unknown): Snippets {
  const json = JSON.stringify(body, null, 2);
  return {
    curl: [
      `curl -X POST ${shellQuoted(url)} \\`,
      `  -H "Authorization: Bearer $${KEY_VARIABLE}" \\`,
      `  -H 'Content-Type: application/json' \\`,
      `  -d ${shellQuoted(JSON.stringify(body))}`,
    ].join('\n'),
    python: [
      'import os',
      'import requests',
      '',
      'response = requests.post(',
      `    ${JSON.stringify(url)},`,
      `    headers={"Authorization": f"Bearer {os.environ['${KEY_VARIABLE}']}"},`,
      `    json=${pythonLiteral(body, '    ')},`,
      '    timeout=10,',
      ')',
      'response.raise_for_status()',
      'print(response.json())',
    ].join('\n'),
    javascript: [
      `const response = await fetch(${JSON.stringify(url)}, {`,
      "  method: 'POST',",
      '  headers: {',
      `    Authorization: \`Bearer \${process.env.${KEY_VARIABLE}}\`,`,
      "    'Content-Type': 'application/json',",
      '  },',
      `  body: JSON.stringify(${json.replaceAll('\n', '\n  ')}),`,
      '});',
      'console.log(await response.json());',
    ].join('\n'),
  };
}
