import type { BoostedModel } from '../boosting/model';
import type { Tree } from '../trees/cart';
import type { Forest } from '../trees/forest';
import { OnnxExportError } from './errors';
import { attr, type GraphBuilder, ML_DOMAIN } from './graph';

/**
 * Trees as one ai.onnx.ml TreeEnsemble (opset 5) over double inputs: double thresholds, double leaf
 * weights, double sums, so a row takes the same path as in training and the sums are the same
 * additions in the same order (onnxruntime adds the trees of a target one after the other; with more
 * than one thread and 80 trees or more it may split them in batches, which can change the last bit).
 *
 * TreeEnsemble-5 gives each leaf one target, so a tree whose leaves hold one value per class is
 * written once per class.
 */

/** One tree in flat arrays (node 0 is the root; a leaf has feature −1), as ml/ fits them. */
export interface FlatTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** Per node: 1 when a missing value (NaN) goes left. Without it a NaN goes right (NaN <= t is false). */
  missingLeft?: Uint8Array;
}

/** A tree of the ensemble: its nodes, the target it adds to, and its value at each leaf. */
export interface EnsembleTree {
  tree: FlatTree;
  target: number;
  leafValue: (node: number) => number;
}

/** A single-leaf tree adding `value` to `target` (a constant, such as a boosting baseline). */
export function constantTree(target: number, value: number): EnsembleTree {
  return {
    tree: {
      feature: Int32Array.of(-1),
      threshold: Float64Array.of(0),
      left: Int32Array.of(-1),
      right: Int32Array.of(-1),
    },
    target,
    leafValue: () => value,
  };
}

/** x <= threshold: the true branch is the left child. */
const BRANCH_LEQ = 0;
const AGGREGATE_SUM = 1;

/** Σ of the trees' leaf values per target: [N, targets] double. */
export function treeEnsemble(
  graph: GraphBuilder,
  x: string,
  features: number,
  trees: readonly EnsembleTree[],
  targets: number,
): string {
  const nodes = {
    featureids: [] as number[],
    splits: [] as number[],
    truenodeids: [] as number[],
    trueleafs: [] as number[],
    falsenodeids: [] as number[],
    falseleafs: [] as number[],
    missingTrue: [] as number[],
  };
  const leaves = { targetids: [] as number[], weights: [] as number[] };
  const roots: number[] = [];
  const addLeaf = (target: number, weight: number) => {
    leaves.targetids.push(target);
    leaves.weights.push(weight);
    return leaves.weights.length - 1;
  };
  const addNode = (feature: number, split: number, missingTrue: number) => {
    nodes.featureids.push(feature);
    nodes.splits.push(split);
    nodes.missingTrue.push(missingTrue);
    nodes.truenodeids.push(-1);
    nodes.trueleafs.push(0);
    nodes.falsenodeids.push(-1);
    nodes.falseleafs.push(0);
    return nodes.featureids.length - 1;
  };
  for (const [index, { tree, target, leafValue }] of trees.entries()) {
    const isLeaf = (node: number) => (tree.feature[node] ?? -1) < 0;
    if (isLeaf(0)) {
      // TreeEnsemble-5 has no single-leaf tree: a root whose two branches reach the same leaf is one
      // (onnxruntime reads it as a leaf).
      const leaf = addLeaf(target, leafValue(0));
      const root = addNode(0, 0, 0);
      nodes.truenodeids[root] = leaf;
      nodes.falsenodeids[root] = leaf;
      nodes.trueleafs[root] = 1;
      nodes.falseleafs[root] = 1;
      roots.push(root);
      continue;
    }
    // Depth first from the root; only reachable nodes are written.
    const place = (node: number, depth: number): { id: number; leaf: boolean } => {
      if (depth > tree.feature.length) throw new Error(`tree ${index} has a cycle`);
      if (isLeaf(node)) return { id: addLeaf(target, leafValue(node)), leaf: true };
      const feature = tree.feature[node] ?? 0;
      if (feature >= features)
        throw new OnnxExportError(
          `Tree ${index} splits on feature ${feature}, but the model has ${features} features`,
        );
      const id = addNode(feature, tree.threshold[node] ?? 0, tree.missingLeft?.[node] === 1 ? 1 : 0);
      const left = place(tree.left[node] ?? -1, depth + 1);
      const right = place(tree.right[node] ?? -1, depth + 1);
      nodes.truenodeids[id] = left.id;
      nodes.trueleafs[id] = left.leaf ? 1 : 0;
      nodes.falsenodeids[id] = right.id;
      nodes.falseleafs[id] = right.leaf ? 1 : 0;
      return { id, leaf: false };
    };
    roots.push(place(0, 0).id);
  }
  return graph.one(
    'TreeEnsemble',
    [x],
    {
      n_targets: attr.int(targets),
      aggregate_function: attr.int(AGGREGATE_SUM),
      post_transform: attr.int(0),
      tree_roots: attr.ints(roots),
      nodes_featureids: attr.ints(nodes.featureids),
      nodes_splits: attr.tensor('double', nodes.splits),
      nodes_modes: attr.tensor('uint8', new Array(nodes.featureids.length).fill(BRANCH_LEQ)),
      nodes_truenodeids: attr.ints(nodes.truenodeids),
      nodes_trueleafs: attr.ints(nodes.trueleafs),
      nodes_falsenodeids: attr.ints(nodes.falsenodeids),
      nodes_falseleafs: attr.ints(nodes.falseleafs),
      nodes_missing_value_tracks_true: attr.ints(nodes.missingTrue),
      leaf_targetids: attr.ints(leaves.targetids),
      leaf_weights: attr.tensor('double', leaves.weights),
    },
    { domain: ML_DOMAIN, hint: 'trees' },
  );
}

/** A CART tree's values (class probabilities, or the regression value): [N, outputs]. */
export function cartScores(graph: GraphBuilder, x: string, features: number, tree: Tree): string {
  return treeEnsemble(graph, x, features, perOutput([tree], tree.outputs), tree.outputs);
}

/** A forest's mean of its trees' values, (Σ trees) / count as predictForest: [N, outputs]. */
export function forestScores(graph: GraphBuilder, x: string, features: number, forest: Forest): string {
  if (forest.trees.length === 0) throw new OnnxExportError('The forest has no trees');
  const sum = treeEnsemble(graph, x, features, perOutput(forest.trees, forest.outputs), forest.outputs);
  return graph.one('Div', [sum, graph.double(forest.trees.length)]);
}

/** Each tree once per output, output k reading value[leaf · outputs + k], trees in order per output. */
function perOutput(trees: readonly Tree[], outputs: number): EnsembleTree[] {
  return trees.flatMap((tree) =>
    Array.from({ length: outputs }, (_, k) => ({
      tree,
      target: k,
      leafValue: (node: number) => tree.value[node * tree.outputs + k] ?? 0,
    })),
  );
}

/**
 * A boosted model's raw scores, baseline[k] + Σ leaves of trees[i · outputs + k] as
 * boostedRawScores adds them: the baseline goes in as a first single-leaf tree per output.
 */
export function boostedRawScores(
  graph: GraphBuilder,
  x: string,
  features: number,
  model: BoostedModel,
): string {
  const outputs = model.outputs;
  const trees: EnsembleTree[] = Array.from({ length: outputs }, (_, k) =>
    constantTree(k, model.baseline[k] ?? 0),
  );
  for (const [index, tree] of model.trees.entries())
    trees.push({ tree, target: index % outputs, leafValue: (node) => tree.value[node] ?? 0 });
  return treeEnsemble(graph, x, features, trees, outputs);
}
