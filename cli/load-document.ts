import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DocumentError, type PipelineDocument, parsePipelineDocument } from '../pipeline/document';
import { CliError } from './session';

/** Reads and checks a pipeline file; every problem names the file. */
export async function loadDocument(file: string): Promise<PipelineDocument> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CliError(`${file}: cannot read the file`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    return parsePipelineDocument(json);
  } catch (error) {
    if (error instanceof DocumentError) throw new CliError(`${file}: ${error.message}`);
    throw error;
  }
}

export function pipelineNameFor(file: string, document: PipelineDocument): string {
  return document.name?.trim() || path.basename(file).replace(/\.(pipeline\.)?json$/i, '');
}
