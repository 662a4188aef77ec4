/** Round values for a chart's axis. Pure. */

/** Roughly `count` round tick values inside [min, max]; at least two when the span allows. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  let ticks: number[] = [];
  for (let wanted = count; wanted <= count + 4 && ticks.length < Math.min(3, count); wanted++)
    ticks = ticksWithin(min, max, wanted);
  return ticks;
}

function ticksWithin(min: number, max: number, count: number): number[] {
  const span = max - min;
  const rough = span / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((factor) => factor * power >= rough) ?? 10) * power;
  const ticks: number[] = [];
  for (let tick = Math.ceil(min / step) * step; tick <= max + step * 1e-9; tick += step)
    ticks.push(Math.abs(tick) < step * 1e-9 ? 0 : Number(tick.toPrecision(12)));
  return ticks;
}
