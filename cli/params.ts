import { existsSync } from 'node:fs';
import path from 'node:path';
import { storeUpload } from '../nodes/_data/uploads';
import type { PipelineDocument } from '../pipeline/document';
import { coerceParameterText } from '../pipeline/parameters';
import { CliError } from './session';

/**
 * `--param name=value` flags as parameter values, typed by the pipeline's declarations. A file
 * parameter is a local path: checked here, so a typo fails before the run starts, then uploaded.
 */
export async function parseParamFlags(
  document: PipelineDocument,
  flags: string[],
  dataDir: string,
): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  for (const flag of flags) {
    const separator = flag.indexOf('=');
    if (separator <= 0) throw new CliError(`--param ${flag}: expected name=value`);
    const name = flag.slice(0, separator);
    const text = flag.slice(separator + 1);
    const declared = document.parameters.find((parameter) => parameter.name === name);
    if (!declared) {
      values[name] = text;
      continue;
    }
    if (declared.type === 'file') {
      const absolute = path.resolve(text);
      if (!existsSync(absolute)) throw new CliError(`--param ${name}: no file at ${absolute}`);
      // Uploaded into DATA_DIR, where the worker's nodes may read files.
      values[name] = await storeUpload(dataDir, absolute);
      continue;
    }
    values[name] = coerceParameterText(declared, text);
  }
  return values;
}
