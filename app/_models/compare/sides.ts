import { seriesColors } from '../../_components/report/charts';
import type { VersionSide } from './comparison-schema';

/**
 * How the comparison names and colours its two versions, the same in every chart, table and legend
 * of the tab: A (the baseline) blue, B orange. Pure.
 */
export const SIDE_COLORS = { a: seriesColors[0] ?? '#3b5bdb', b: seriesColors[1] ?? '#e8590c' } as const;

/** "v3 · production" */
export function sideName(side: Pick<VersionSide, 'version' | 'aliases'>): string {
  return [`v${side.version}`, ...side.aliases].join(' · ');
}

/** What the tab says in place of a part a version does not hold. */
export const NOT_RECORDED = 'Not recorded for this version';

/** A change with its sign: "+0.0123", "−0.5" (a true minus sign), "0". */
export function signed(text: string, value: number): string {
  if (value > 0) return `+${text}`;
  if (value < 0) return `−${text.replace(/^-/, '')}`;
  return text;
}
