import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRPCError } from '@trpc/server';
import { deletedByRetentionMessage } from '../../workflows/retention/retention-messages';

/**
 * The real path of an artifact's file, which must be a file: URI inside DATA_DIR/artifacts: a row
 * naming a file elsewhere (`..`, a symbolic link leading out, another machine's path, the app's
 * logs or services.json) is refused, not read.
 */
export async function confinedArtifactPath(uri: string, dataDir: string): Promise<string> {
  let file: string;
  try {
    file = fileURLToPath(uri);
  } catch {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'This artifact is not stored on this server' });
  }
  const root = await realpath(path.join(dataDir, 'artifacts')).catch(() => undefined);
  const real = await realpath(file).catch(() => undefined);
  if (!root || !real) {
    throw new TRPCError({ code: 'NOT_FOUND', message: 'The data of this step is no longer stored' });
  }
  if (!real.startsWith(root + path.sep)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: "This artifact's file lies outside the artifact folder, so it is not read",
    });
  }
  return real;
}

/**
 * Refuses an artifact whose files retention deleted, saying so: without this the preview would fail
 * with "no longer stored" and leave the user wondering whether something broke.
 */
export function refuseDeletedArtifact(artifact: { deletedAt: Date | null }): void {
  if (artifact.deletedAt) {
    throw new TRPCError({ code: 'NOT_FOUND', message: deletedByRetentionMessage(artifact.deletedAt) });
  }
}
