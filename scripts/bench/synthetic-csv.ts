import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { seededRandom } from '../../ml/random';

/**
 * The synthetic table ../shared/bench/pandas_ref.py expects: num_00..num_19 (normal), cat_a (8
 * values), cat_b (5 values), target (0/1 from a noisy linear rule); 5% missing in num_03, num_07 and
 * cat_b. The same seed gives the same file, byte for byte.
 */
export async function writeSyntheticCsv(file: string, rows: number, seed = 42): Promise<void> {
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const catA = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
  const catB = ['north', 'south', 'east', 'west', 'central'];
  const out = createWriteStream(file);
  const header = [
    ...Array.from({ length: 20 }, (_, index) => `num_${String(index).padStart(2, '0')}`),
    'cat_a',
    'cat_b',
    'target',
  ];
  out.write(`${header.join(',')}\n`);
  let chunk = '';
  for (let row = 0; row < rows; row++) {
    const numbers = Array.from({ length: 20 }, normal);
    const a = catA[Math.floor(random() * catA.length)] ?? 'alpha';
    const b = catB[Math.floor(random() * catB.length)] ?? 'north';
    const score =
      (numbers[0] ?? 0) +
      0.5 * (numbers[1] ?? 0) -
      (numbers[2] ?? 0) +
      (a === 'beta' ? 0.8 : 0) +
      0.5 * normal();
    const cells = numbers.map((value, index) =>
      (index === 3 || index === 7) && random() < 0.05 ? '' : value.toFixed(6),
    );
    cells.push(a, random() < 0.05 ? '' : b, score > 0 ? '1' : '0');
    chunk += `${cells.join(',')}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
