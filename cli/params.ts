import { existsSync } from 'node:fs';
import path from 'node:path';
import { storeUpload } from '../nodes/_data/uploads';
import type { PipelineDocument } from '../pipeline/document';
import { coerceParameterText } from '../pipeline/parameters';
import { CliError } from './session';

/**
 * `--param name=value` flags as parameter values, typed by the pipeline's declarations. A file
 * parameter is a local path: checked here, so a typo fails before the run starts, then uploaded.
 * The values are collected as entries and made an object with Object.fromEntries, which defines
 * each key: assigning `values[name]` would drop `--param __proto__=…` without a word, where the
 * compiler should say the pipeline has no such parameter.
 */
export async function parseParamFlags(
  document: PipelineDocument,
  flags: string[],
  dataDir: string,
): Promise<Record<string, unknown>> {
  const entries: [string, unknown][] = [];
  for (const flag of flags) {
    const separator = flag.indexOf('=');
    if (separator <= 0) throw new CliError(`--param ${flag}: expected name=value`);
    const name = flag.slice(0, separator);
    const text = flag.slice(separator + 1);
    entries.push([name, await parameterValue(document, name, text, dataDir)]);
  }
  return Object.fromEntries(entries);
}

/** One flag's value: as typed when the pipeline declares the name, else the text (refused later). */
async function parameterValue(
  document: PipelineDocument,
  name: string,
  text: string,
  dataDir: string,
): Promise<unknown> {
  const declared = document.parameters.find((parameter) => parameter.name === name);
  if (!declared) return text;
  if (declared.type !== 'file') return coerceParameterText(declared, text);
  const absolute = path.resolve(text);
  if (!existsSync(absolute)) throw new CliError(`--param ${name}: no file at ${absolute}`);
  // Uploaded into DATA_DIR, where the worker's nodes may read files.
  return storeUpload(dataDir, absolute);
}
