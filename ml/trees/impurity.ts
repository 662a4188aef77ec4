/**
 * The statistics of a node's rows and of the rows left of a cut as a sweep moves them across; the
 * right side is always the node's total minus the left. Weights are bootstrap counts (1 without).
 * A histogram bin holds the same statistics for every row of one rank, `width` numbers per bin.
 * Rows are named by their position in the node: `setNode` copies the node's labels and weights
 * next to each other, so sweeps read them from a small array instead of all over the data.
 */
export interface NodeImpurity {
  readonly width: number;
  /** Takes rows[start, end) as the node; position i is rows[start + i]. */
  setNode(rows: Int32Array, start: number, end: number): void;
  /** The node's total weight. */
  weight(): number;
  /** Impurity of the node per unit weight. */
  impurity(): number;
  /** The node's prediction: class probabilities, or the weighted mean. */
  value(): Float64Array;
  /** Starts a sweep: every row on the right. */
  resetSweep(): void;
  /** Moves the row at a position in the node to the left. */
  addAt(position: number): void;
  addToBin(bins: Float64Array, offset: number, position: number): void;
  /** Moves a whole bin to the left. */
  addBin(bins: Float64Array, offset: number): void;
  /** Σ over both sides of weight × impurity, for the current cut. */
  childrenImpurity(): number;
}

/** Gini or entropy over class weights. Gini keeps Σ weight² per side so each move costs O(1). */
export class ClassImpurity implements NodeImpurity {
  readonly width: number;
  private readonly total: Float64Array;
  private readonly left: Float64Array;
  private totalWeight = 0;
  private leftWeight = 0;
  private totalSquares = 0;
  private leftSquares = 0;
  private rightSquares = 0;

  private readonly labels: Int32Array;
  private readonly nodeWeights: Float64Array;

  constructor(
    classes: number,
    private readonly entropy: boolean,
    private readonly y: ArrayLike<number>,
    private readonly weights: Float64Array | undefined,
    capacity: number,
  ) {
    this.width = classes;
    this.total = new Float64Array(classes);
    this.left = new Float64Array(classes);
    this.labels = new Int32Array(capacity);
    this.nodeWeights = new Float64Array(capacity);
  }

  setNode(rows: Int32Array, start: number, end: number): void {
    this.total.fill(0);
    this.totalWeight = 0;
    for (let i = start; i < end; i++) {
      const row = rows[i] ?? 0;
      const w = this.weights ? (this.weights[row] ?? 0) : 1;
      const label = this.y[row] ?? 0;
      this.labels[i - start] = label;
      this.nodeWeights[i - start] = w;
      this.total[label] = (this.total[label] ?? 0) + w;
      this.totalWeight += w;
    }
    this.totalSquares = 0;
    for (const c of this.total) this.totalSquares += c * c;
  }

  weight(): number {
    return this.totalWeight;
  }

  impurity(): number {
    const w = this.totalWeight;
    if (w <= 0) return 0;
    if (!this.entropy) return 1 - this.totalSquares / (w * w);
    return sideEntropy(w, this.total, undefined) / w;
  }

  value(): Float64Array {
    const w = Math.max(this.totalWeight, Number.MIN_VALUE);
    return this.total.map((c) => c / w);
  }

  resetSweep(): void {
    this.left.fill(0);
    this.leftWeight = 0;
    this.leftSquares = 0;
    this.rightSquares = this.totalSquares;
  }

  addAt(position: number): void {
    this.move(this.labels[position] ?? 0, this.nodeWeights[position] ?? 0);
  }

  addToBin(bins: Float64Array, offset: number, position: number): void {
    const at = offset + (this.labels[position] ?? 0);
    bins[at] = (bins[at] ?? 0) + (this.nodeWeights[position] ?? 0);
  }

  addBin(bins: Float64Array, offset: number): void {
    for (let k = 0; k < this.width; k++) {
      const w = bins[offset + k] ?? 0;
      if (w !== 0) this.move(k, w);
    }
  }

  childrenImpurity(): number {
    const leftW = this.leftWeight;
    const rightW = this.totalWeight - leftW;
    if (!this.entropy)
      return (
        (leftW > 0 ? leftW - this.leftSquares / leftW : 0) +
        (rightW > 0 ? rightW - this.rightSquares / rightW : 0)
      );
    return sideEntropy(leftW, this.left, undefined) + sideEntropy(rightW, this.total, this.left);
  }

  private move(label: number, w: number): void {
    const onLeft = this.left[label] ?? 0;
    const onRight = (this.total[label] ?? 0) - onLeft;
    this.leftSquares += w * (2 * onLeft + w);
    this.rightSquares += w * (w - 2 * onRight);
    this.left[label] = onLeft + w;
    this.leftWeight += w;
  }
}

/** weight × entropy in bits of one side; its class weights are `counts` minus `minus` when given. */
function sideEntropy(weight: number, counts: Float64Array, minus: Float64Array | undefined): number {
  if (weight <= 0) return 0;
  let sum = 0;
  for (let k = 0; k < counts.length; k++) {
    const c = (counts[k] ?? 0) - (minus ? (minus[k] ?? 0) : 0);
    if (c > 0) sum -= c * Math.log2(c / weight);
  }
  return sum;
}

/** Squared error: weight, Σ w·y and Σ w·y² per side. */
export class ValueImpurity implements NodeImpurity {
  readonly width = 3;
  private totalWeight = 0;
  private totalSum = 0;
  private totalSquares = 0;
  private leftWeight = 0;
  private leftSum = 0;
  private leftSquares = 0;

  private readonly values: Float64Array;
  private readonly nodeWeights: Float64Array;

  constructor(
    private readonly y: ArrayLike<number>,
    private readonly weights: Float64Array | undefined,
    capacity: number,
  ) {
    this.values = new Float64Array(capacity);
    this.nodeWeights = new Float64Array(capacity);
  }

  setNode(rows: Int32Array, start: number, end: number): void {
    this.totalWeight = 0;
    this.totalSum = 0;
    this.totalSquares = 0;
    for (let i = start; i < end; i++) {
      const row = rows[i] ?? 0;
      const w = this.weights ? (this.weights[row] ?? 0) : 1;
      const value = this.y[row] ?? 0;
      this.values[i - start] = value;
      this.nodeWeights[i - start] = w;
      this.totalWeight += w;
      this.totalSum += w * value;
      this.totalSquares += w * value * value;
    }
  }

  weight(): number {
    return this.totalWeight;
  }

  impurity(): number {
    const w = this.totalWeight;
    return w > 0 ? Math.max(0, this.totalSquares / w - (this.totalSum / w) ** 2) : 0;
  }

  value(): Float64Array {
    return Float64Array.of(this.totalWeight > 0 ? this.totalSum / this.totalWeight : 0);
  }

  resetSweep(): void {
    this.leftWeight = 0;
    this.leftSum = 0;
    this.leftSquares = 0;
  }

  addAt(position: number): void {
    const w = this.nodeWeights[position] ?? 0;
    const value = this.values[position] ?? 0;
    this.leftWeight += w;
    this.leftSum += w * value;
    this.leftSquares += w * value * value;
  }

  addToBin(bins: Float64Array, offset: number, position: number): void {
    const w = this.nodeWeights[position] ?? 0;
    const value = this.values[position] ?? 0;
    bins[offset] = (bins[offset] ?? 0) + w;
    bins[offset + 1] = (bins[offset + 1] ?? 0) + w * value;
    bins[offset + 2] = (bins[offset + 2] ?? 0) + w * value * value;
  }

  addBin(bins: Float64Array, offset: number): void {
    this.leftWeight += bins[offset] ?? 0;
    this.leftSum += bins[offset + 1] ?? 0;
    this.leftSquares += bins[offset + 2] ?? 0;
  }

  childrenImpurity(): number {
    const rightW = this.totalWeight - this.leftWeight;
    const rightSum = this.totalSum - this.leftSum;
    const rightSquares = this.totalSquares - this.leftSquares;
    const left = this.leftWeight > 0 ? this.leftSquares - (this.leftSum * this.leftSum) / this.leftWeight : 0;
    const right = rightW > 0 ? rightSquares - (rightSum * rightSum) / rightW : 0;
    return Math.max(0, left) + Math.max(0, right);
  }
}
