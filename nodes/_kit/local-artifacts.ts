import { randomUUID } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type CompanionFile, companionFiles, sha256File } from './artifact-integrity';
import type { ArtifactRef } from './artifact-ref';
import { flushToDisk } from './atomic-file';
import type { ArtifactMeta, ArtifactWriter, StoredArtifact } from './context';
import type { PortKind } from './ports';

/** Artifact kinds as the artifacts table knows them. */
function tableKind(kind: PortKind): TableKind {
  if (kind === 'dataset' || kind === 'model' || kind === 'drift') return kind;
  return 'report';
}

type TableKind = 'dataset' | 'model' | 'report' | 'drift';

export interface CommittedArtifact extends StoredArtifact {
  port: string;
  meta: ArtifactMeta;
  tableKind: TableKind;
}

/** A committed artifact as its row records it once the step is done: with the files beside it. */
export interface FinishedArtifact extends CommittedArtifact {
  companions: CompanionFile[];
}

/**
 * Local artifact store for one attempt of one step: DATA_DIR/artifacts/<run>/<node>/<attempt>/.
 * Attempts write to folders of their own, so a retry never reads half a file of the one before.
 * Files are written atomically (atomic-file.ts) at the paths `pathFor` gives.
 */
export class StepArtifacts implements ArtifactWriter {
  readonly committed: CommittedArtifact[] = [];
  private readonly dir: string;

  constructor(root: string, runId: string, nodeId: string, attempt: number) {
    this.dir = path.join(root, runId, nodeId, `attempt-${attempt}`);
  }

  async prepare(): Promise<void> {
    const created = await mkdir(this.dir, { recursive: true });
    // The new folders' names must reach the disk too, or a power cut could lose a folder whose
    // files were flushed: each folder made, and the one it was made in, is flushed.
    if (created === undefined) return;
    for (let folder = this.dir; folder.length >= created.length; folder = path.dirname(folder))
      await flushToDisk(path.dirname(folder));
  }

  pathFor(port: string, extension: string): string {
    return path.join(this.dir, `${port}.${extension}`);
  }

  async commit(
    port: string,
    kind: PortKind,
    file: string,
    pendingMeta: ArtifactMeta | Promise<ArtifactMeta> = {},
  ): Promise<StoredArtifact> {
    const [{ size }, sha256, meta] = await Promise.all([stat(file), sha256File(file), pendingMeta]);
    const ref: ArtifactRef = { kind, id: randomUUID(), uri: pathToFileURL(file).href };
    const stored = { ref, path: file, bytes: size, sha256 };
    this.committed.push({ ...stored, port, meta, tableKind: tableKind(kind) });
    return stored;
  }

  /**
   * The committed artifacts with the files written beside each (see companionFiles), for the rows
   * recorded when the step succeeds. Called after the step's run function returns: some files
   * beside an artifact are written after it is committed (ingest writes its transform spec last).
   */
  async finish(): Promise<FinishedArtifact[]> {
    const recorded = new Set(this.committed.map((artifact) => path.basename(artifact.path)));
    return Promise.all(
      this.committed.map(async (artifact) => ({
        ...artifact,
        companions: await companionFiles(artifact.path, recorded),
      })),
    );
  }

  localPath(ref: ArtifactRef): string {
    return fileURLToPath(ref.uri);
  }
}
