import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Tree } from '../../ml/trees/cart';
import { INLINE_MAX } from './model-arrays';
import { type ModelArtifact, readModelArtifact, writeModelArtifact } from './model-artifact';

const dir = mkdtempSync(path.join(tmpdir(), 'model-artifact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A full binary tree of `nodes` nodes with recognisable values. */
function tree(nodes: number, seed: number): Tree {
  const feature = Int32Array.from({ length: nodes }, (_, i) => (2 * i + 2 < nodes ? (i + seed) % 3 : -1));
  const left = Int32Array.from(feature, (f, i) => (f < 0 ? -1 : 2 * i + 1));
  const right = Int32Array.from(feature, (f, i) => (f < 0 ? -1 : 2 * i + 2));
  return {
    feature,
    threshold: Float64Array.from({ length: nodes }, (_, i) => i / 7 + seed),
    left,
    right,
    value: Float64Array.from({ length: 2 * nodes }, (_, i) => ((i + seed) % 5) / 4),
    outputs: 2,
    gain: Float64Array.of(0.5, 0.25, 0.25),
    nodeCount: nodes,
  };
}

function artifact(fitted: ModelArtifact['fitted']): ModelArtifact {
  return {
    version: 1,
    algorithm: fitted.algorithm === 'random_forest' ? 'random_forest' : 'linear',
    task: 'classification',
    target: 'y',
    features: ['a', 'b', 'c'],
    classes: ['no', 'yes'],
    fitted,
    transforms: { version: 1, steps: [] },
    onnx: null,
    training: { rows: 10, seconds: 1, metrics: { accuracy: 0.9 } },
    importances: [],
  };
}

describe('model artifact files', () => {
  it('keeps a forest’s large arrays in a binary file beside model.json and reads them back', async () => {
    // One tree under the inline limit, one over it: the small one stays listed.
    const forest = artifact({
      algorithm: 'random_forest',
      model: { trees: [tree(5, 1), tree(4 * INLINE_MAX + 1, 2)], outputs: 2 },
    });
    const file = path.join(dir, 'forest.json');
    const written = await writeModelArtifact(file, forest);
    const binary = path.join(dir, 'forest.arrays.bin');
    expect(written).toEqual([file, binary]);
    // feature, left, right (4 bytes a node), threshold (8) and value (16) of the large tree, padded.
    const nodes = 4 * INLINE_MAX + 1;
    expect(statSync(binary).size).toBe(3 * Math.ceil((4 * nodes) / 8) * 8 + 8 * nodes + 16 * nodes);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.arrays).toBe('forest.arrays.bin');
    expect(json.fitted.model.trees[0].feature).toEqual([1, 2, -1, -1, -1]);
    expect(json.fitted.model.trees[1].threshold).toEqual({
      $array: 'f64',
      offset: expect.any(Number),
      length: nodes,
    });
    expect(await readModelArtifact(file)).toEqual({ ...forest, arrays: 'forest.arrays.bin' });
  });

  it('writes both files atomically: a rewrite renames new files into place, leaving no temporary file', async () => {
    const forest = artifact({
      algorithm: 'random_forest',
      model: { trees: [tree(2 * INLINE_MAX + 1, 3)], outputs: 2 },
    });
    const file = path.join(dir, 'rewritten.json');
    const binary = path.join(dir, 'rewritten.arrays.bin');
    await writeModelArtifact(file, forest);
    const before = [statSync(file).ino, statSync(binary).ino];
    await writeModelArtifact(file, forest);
    // New inodes: the files were written elsewhere and renamed, not truncated and rewritten.
    expect([statSync(file).ino, statSync(binary).ino].map((ino, index) => ino === before[index])).toEqual([
      false,
      false,
    ]);
    expect(readdirSync(dir).filter((name) => name.startsWith('.rewritten'))).toEqual([]);
    expect(await readModelArtifact(file)).toEqual({ ...forest, arrays: 'rewritten.arrays.bin' });
  });

  it('writes a small model as JSON alone, its numbers listed', async () => {
    const linear = artifact({
      algorithm: 'linear',
      model: { coefficients: Float64Array.of(1.5, -2, 0), intercept: 3 },
    });
    const file = path.join(dir, 'linear.json');
    expect(await writeModelArtifact(file, linear)).toEqual([file]);
    expect(existsSync(path.join(dir, 'linear.arrays.bin'))).toBe(false);
    expect(JSON.parse(readFileSync(file, 'utf8')).fitted.model.coefficients).toEqual([1.5, -2, 0]);
    expect(await readModelArtifact(file)).toEqual(linear);
  });

  it('names the arrays file when it is missing or cut short', async () => {
    const forest = artifact({
      algorithm: 'random_forest',
      model: { trees: [tree(2 * INLINE_MAX + 1, 3)], outputs: 2 },
    });
    const file = path.join(dir, 'cut.json');
    const [, binary = ''] = await writeModelArtifact(file, forest);
    const bytes = readFileSync(binary);
    rmSync(binary);
    await expect(readModelArtifact(file)).rejects.toThrow(
      "The model's arrays file cut.arrays.bin beside cut.json cannot be read",
    );
    const { writeFileSync } = await import('node:fs');
    writeFileSync(binary, bytes.subarray(0, bytes.length - 8));
    await expect(readModelArtifact(file)).rejects.toThrow('cut.arrays.bin is shorter than the model needs');
  });
});
