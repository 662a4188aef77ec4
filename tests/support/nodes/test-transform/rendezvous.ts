import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NodeInputError } from '../../../../nodes/_kit/errors';

/**
 * A barrier between steps of one run: each writes its name into `folder` and waits until `parties`
 * names are there. Two steps that both pass it were running at the same time; that is what tests of
 * parallelism assert, instead of sleeping and comparing clocks.
 */
export async function rendezvous(
  folder: string,
  nodeId: string,
  parties: number,
  signal: AbortSignal,
): Promise<void> {
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, nodeId), '');
  // Bounded only so a broken engine fails the test with a message instead of hanging it.
  for (let polls = 0; polls < 3_000; polls++) {
    if (readdirSync(folder).length >= parties) return;
    signal.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new NodeInputError(`only ${readdirSync(folder).length} of ${parties} steps reached the rendezvous`, {
    field: 'rendezvous',
  });
}
