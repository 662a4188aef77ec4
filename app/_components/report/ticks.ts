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

/** More ticks than any axis asks for: a guard, so a span a double cannot split still ends. */
const MAX_TICKS = 50;

function ticksWithin(min: number, max: number, count: number): number[] {
  const span = max - min;
  const rough = span / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((factor) => factor * power >= rough) ?? 10) * power;
  // Near 1e20 a step of 2048 is below a double's resolution: first + i * step would round back to
  // the same values, so the ends are the only ticks that can be told apart.
  // A span past the largest double (from -1e308 to 1e308) has no finite step at all.
  if (!Number.isFinite(step) || !(step >= Math.max(Math.abs(min), Math.abs(max)) * Number.EPSILON))
    return [min, max];
  const first = Math.ceil(min / step) * step;
  const ticks: number[] = [];
  // Each tick from its index, not by adding the step again and again: no drift, and it ends.
  for (let index = 0; index < MAX_TICKS; index++) {
    const tick = first + index * step;
    if (tick > max + step * 1e-9) break;
    ticks.push(Math.abs(tick) < step * 1e-9 ? 0 : Number(tick.toPrecision(12)));
  }
  return ticks;
}
