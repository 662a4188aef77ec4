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
  // Typed arrays of a size known up front (a tree's reachable nodes are at most its node count,
  // and a single-leaf tree takes one node and one leaf): a forest fills tens of millions of
  // entries, and lists grown one push at a time would hold up to half as much again in slack.
  const capacity = trees.reduce((sum, { tree }) => sum + Math.max(1, tree.feature.length), 0);
  const nodes = {
    count: 0,
    featureids: new Int32Array(capacity),
    splits: new Float64Array(capacity),
    truenodeids: new Int32Array(capacity),
    trueleafs: new Uint8Array(capacity),
    falsenodeids: new Int32Array(capacity),
    falseleafs: new Uint8Array(capacity),
    missingTrue: new Uint8Array(capacity),
  };
  const leaves = { count: 0, targetids: new Int32Array(capacity), weights: new Float64Array(capacity) };
  const roots: number[] = [];
  // A malformed tree (a node reached twice) could fill past the sizes; a typed array would drop it.
  const room = (count: number) => {
    if (count >= capacity) throw new OnnxExportError('A tree reaches more nodes than it holds');
  };
  const addLeaf = (target: number, weight: number) => {
    room(leaves.count);
    leaves.targetids[leaves.count] = target;
    leaves.weights[leaves.count] = weight;
    return leaves.count++;
  };
  const addNode = (feature: number, split: number, missingTrue: number) => {
    room(nodes.count);
    nodes.featureids[nodes.count] = feature;
    nodes.splits[nodes.count] = split;
    nodes.missingTrue[nodes.count] = missingTrue;
    return nodes.count++;
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
      nodes_featureids: attr.ints(list(nodes.featureids, nodes.count)),
      nodes_splits: attr.tensor('double', nodes.splits.subarray(0, nodes.count)),
      nodes_modes: attr.tensor('uint8', new Uint8Array(nodes.count).fill(BRANCH_LEQ)),
      nodes_truenodeids: attr.ints(list(nodes.truenodeids, nodes.count)),
      nodes_trueleafs: attr.ints(list(nodes.trueleafs, nodes.count)),
      nodes_falsenodeids: attr.ints(list(nodes.falsenodeids, nodes.count)),
      nodes_falseleafs: attr.ints(list(nodes.falseleafs, nodes.count)),
      nodes_missing_value_tracks_true: attr.ints(list(nodes.missingTrue, nodes.count)),
      leaf_targetids: attr.ints(list(leaves.targetids, leaves.count)),
      leaf_weights: attr.tensor('double', leaves.weights.subarray(0, leaves.count)),
    },
    { domain: ML_DOMAIN, hint: 'trees' },
  );
}

/** The first `count` values as a list, as the protobuf message takes repeated integers. */
function list(values: Int32Array | Uint8Array, count: number): number[] {
  return Array.from(values.subarray(0, count));
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
