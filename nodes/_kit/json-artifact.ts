import { readFile } from 'node:fs/promises';
import type { ArtifactRef } from './artifact-ref';
import { writeFileAtomic } from './atomic-file';
import type { NodeContext, StoredArtifact } from './context';
import type { PortKind } from './ports';

/** Writes a JSON value as the artifact of an output port. For small outputs: reports, test data. */
export async function writeJsonArtifact(
  context: NodeContext,
  port: string,
  kind: PortKind,
  value: unknown,
): Promise<StoredArtifact> {
  const path = context.artifacts.pathFor(port, 'json');
  await writeFileAtomic(path, JSON.stringify(value));
  return context.artifacts.commit(port, kind, path);
}

export async function readJsonArtifact(context: NodeContext, ref: ArtifactRef): Promise<unknown> {
  return JSON.parse(await readFile(context.artifacts.localPath(ref), 'utf8'));
}
