import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import type { LoggedInput } from '../../db/queries/logged-columns';
import type { FeatureDrift } from '../../ml/drift';
import { numpyPeerEnv } from './bench-python';

/**
 * Runs monitor_peer.py (numpy + scipy) on the bench's CSV files and compares its statistics with
 * ours. Python's environment leaves out this machine's OpenBLAS settings (meant for Node's
 * numerical code, they make NumPy abort), for that command only.
 */

const missingSchema = z.object({ reference: z.number(), current: z.number(), change: z.number() });
const peerFeatureSchema = z.object({
  psi: z.number(),
  ks: z.number().optional(),
  ksP: z.number().optional(),
  chi2: z.number().optional(),
  chi2P: z.number().optional(),
  js: z.number(),
  wasserstein: z.number().optional(),
  missing: missingSchema,
});
const peerResultSchema = z.object({
  versions: z.string(),
  rows: z.number(),
  readSeconds: z.array(z.number()),
  statsSeconds: z.array(z.number()),
  peakRssMb: z.number(),
  features: z.record(z.string(), peerFeatureSchema),
});
export type PeerResult = z.infer<typeof peerResultSchema>;

const SCRIPT = path.join(import.meta.dirname, 'monitor_peer.py');

export function runPeer(
  python: string,
  referenceCsv: string,
  currentCsv: string,
  rounds: number,
): PeerResult | { skipped: string } {
  const env = numpyPeerEnv();
  const probe = spawnSync(python, ['-c', 'import numpy, scipy, pandas, pyarrow'], { env, encoding: 'utf8' });
  if (probe.error) return { skipped: `${python} cannot be started (${probe.error.message})` };
  if (probe.status !== 0)
    return {
      skipped: `${python} lacks numpy, scipy, pandas or pyarrow (pip install numpy scipy pandas pyarrow)`,
    };
  const result = spawnSync(python, [SCRIPT, referenceCsv, currentCsv, String(rounds)], {
    env,
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (result.status !== 0)
    return { skipped: `monitor_peer.py failed: ${(result.stderr ?? '').trim().split('\n').at(-1) ?? ''}` };
  return peerResultSchema.parse(JSON.parse(result.stdout));
}

/** Per statistic, the largest absolute difference between the peer's figure and ours over the features. */
export function comparePeer(
  peer: PeerResult,
  features: readonly FeatureDrift[],
  inputs: readonly LoggedInput[],
): Map<string, number> {
  const largest = new Map<string, number>();
  const note = (statistic: string, theirs: number | undefined, ours: number | null | undefined) => {
    const difference = Math.abs((theirs ?? Number.NaN) - (ours ?? Number.NaN));
    largest.set(
      statistic,
      Math.max(largest.get(statistic) ?? 0, Number.isNaN(difference) ? Infinity : difference),
    );
  };
  inputs.forEach((input, index) => {
    const theirs = peer.features[input.name];
    const ours = features[index];
    if (!theirs || !ours) throw new Error(`No statistics for ${input.name}`);
    note('PSI', theirs.psi, ours.psi);
    note('Jensen–Shannon', theirs.js, ours.jensenShannon);
    note('missing rate, reference', theirs.missing.reference, ours.missing.reference);
    note('missing rate, current', theirs.missing.current, ours.missing.current);
    if (ours.kind === 'numeric') {
      note('KS D', theirs.ks, ours.ks?.statistic);
      note('KS p-value', theirs.ksP, ours.ks?.pValue);
      note('Wasserstein', theirs.wasserstein, ours.wasserstein);
    } else {
      // Relative: the statistic runs to thousands here.
      const statistic = ours.chiSquare?.statistic ?? Number.NaN;
      note('chi-square (relative)', (theirs.chi2 ?? Number.NaN) / statistic, 1);
      note('chi-square p-value', theirs.chi2P, ours.chiSquare?.pValue);
    }
  });
  return largest;
}
