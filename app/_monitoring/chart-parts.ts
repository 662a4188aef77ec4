import { timeTickFormatter, timeTicks } from '../_components/compare/time-axis';
import type { CellState } from './monitoring-view';

/** The states' colours: the app's ok and bad, an amber for warnings, grey for what could not be read. */
export const STATE_COLORS: Record<CellState, string> = {
  ok: '#2f9e44',
  warn: '#f08c00',
  alert: '#e03131',
  unknown: '#adb5bd',
};

/** The shared time axis of the tab's charts (epoch ms on `t`), ticks spread evenly over the checks' span. */
export function timeAxisProps(times: readonly number[]) {
  const first = times[0] ?? 0;
  const last = times.at(-1) ?? first;
  return {
    dataKey: 't',
    type: 'number' as const,
    scale: 'time' as const,
    domain: [first, last],
    ticks: timeTicks(first, last, Math.min(7, Math.max(2, times.length))),
    tickFormatter: timeTickFormatter(last - first),
    tick: { fontSize: 11 },
    padding: { left: 14, right: 14 },
  };
}
