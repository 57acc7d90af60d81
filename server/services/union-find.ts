/** Disjoint sets over 0 .. size - 1 (union by size, path halving): near-constant time per call. */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly sizes: Int32Array;

  constructor(size: number) {
    this.parent = new Int32Array(size);
    this.sizes = new Int32Array(size).fill(1);
    for (let i = 0; i < size; i += 1) this.parent[i] = i;
  }

  find(element: number): number {
    let x = element;
    while (this.parent[x] !== x) {
      const grandparent = this.parent[this.parent[x]!]!;
      this.parent[x] = grandparent;
      x = grandparent;
    }
    return x;
  }

  /** Joins the sets of a and b; returns the root of the joined set. */
  union(a: number, b: number): number {
    let rootA = this.find(a);
    let rootB = this.find(b);
    if (rootA === rootB) return rootA;
    if (this.sizes[rootA]! < this.sizes[rootB]!) [rootA, rootB] = [rootB, rootA];
    this.parent[rootB] = rootA;
    this.sizes[rootA]! += this.sizes[rootB]!;
    return rootA;
  }

  /** How many elements share the set of `element`. */
  sizeOf(element: number): number {
    return this.sizes[this.find(element)]!;
  }
}
