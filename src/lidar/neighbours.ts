// Radius neighbourhoods in a point cloud: a k-d tree, a uniform grid hash and the brute-force reference, behind one interface.

import type { PointCloud } from '../data/point-cloud.js';

/**
 * A reusable output buffer for radius queries: indices into the cloud and squared distances,
 * valid up to `count`. Reused across queries so a million queries allocate nothing; it grows
 * (doubling) when a neighbourhood is larger than its capacity.
 */
export class NeighbourBuffer {
  /** Indices of the neighbours into the cloud's arrays, valid in [0, count). */
  index: Uint32Array;
  /** Squared distances to the query point, m², aligned with `index`. */
  dist2: Float64Array;
  /** Number of neighbours found by the last query. */
  count = 0;
  constructor(capacity = 1024) {
    this.index = new Uint32Array(capacity);
    this.dist2 = new Float64Array(capacity);
  }
  /** Appends one neighbour, growing the arrays if needed. */
  push(i: number, d2: number): void {
    if (this.count === this.index.length) {
      const index = new Uint32Array(this.index.length * 2);
      index.set(this.index);
      const dist2 = new Float64Array(this.dist2.length * 2);
      dist2.set(this.dist2);
      this.index = index;
      this.dist2 = dist2;
    }
    this.index[this.count] = i;
    this.dist2[this.count] = d2;
    this.count++;
  }
}

/** Anything that answers "which points lie within r of q?" (distance ≤ r, Euclidean, in 3-D). */
export interface RadiusSearch {
  /** Fills `out` (count reset first) with the points within `r` metres of (qx, qy, qz); returns the count. Order unspecified. */
  radius(qx: number, qy: number, qz: number, r: number, out: NeighbourBuffer): number;
}

/**
 * A search that can also sum neighbourhood moments without listing the neighbours, by scale:
 * what the multiscale features need, and much faster than a list at large radii.
 */
export interface MomentSearch extends RadiusSearch {
  /**
   * For ascending squared radii r0² < r1² < … (m²), adds into `acc[10·s … 10·s+9]` the moments of
   * the points with r(s−1)² < d² ≤ rs² (shell s; shell 0 is the inner ball), relative to q:
   * count, Σdx, Σdy, Σdz, Σdx², Σdy², Σdz², Σdxdy, Σdxdz, Σdydz (d = p − q, metres).
   * `acc` is added to, not cleared.
   *
   * `tolerance` (default 0: exact) trades exactness for speed in dense clouds: a group of points
   * whose bounding box has a diagonal ≤ tolerance × r, where r is the smallest shell boundary
   * it straddles, goes whole into the shell holding its centroid instead of point by point.
   * Only points within about tolerance × r of a boundary can be misassigned, and those errors
   * largely cancel around the sphere; the cost per query then stops growing with density.
   */
  radiusMoments(qx: number, qy: number, qz: number, radii2: Float64Array, acc: Float64Array, tolerance?: number): void;
}

/** The reference: checks every point. O(n) per query; for tests and for timing the indexes against. */
export function bruteForceSearch(cloud: PointCloud): RadiusSearch {
  const { x, y, z } = cloud;
  return {
    radius(qx, qy, qz, r, out) {
      out.count = 0;
      const r2 = r * r;
      for (let i = 0; i < x.length; i++) {
        const dx = x[i]! - qx,
          dy = y[i]! - qy,
          dz = z[i]! - qz;
        const d2 = dx * dx + dy * dy + dz * dz;
        if (d2 <= r2) out.push(i, d2);
      }
      return out.count;
    },
  };
}

const LEAF_SIZE = 16;

/**
 * A balanced k-d tree over a copy of the coordinates reordered in tree order (so a leaf's
 * points are contiguous in memory). Each node keeps its bounding box: a node whose box lies
 * wholly inside the query sphere is taken whole without distance tests, which is what makes
 * large radii (thousands of neighbours) cheap. Works for any radius, unlike a grid.
 * Each node also keeps its points' count, centroid and centred scatter matrix, so
 * `radiusMoments` adds a node that falls wholly in one shell in O(1) (parallel-axis shift).
 * Build O(n log n); the cloud's arrays are not modified.
 */
export function buildKdTree(cloud: PointCloud): MomentSearch {
  const n = cloud.x.length;
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  // Coordinates relative to the first point: a centroid of georeferenced values (10⁶ m) carries a rounding error of
  // 10⁻⁹ m, which the parallel-axis shift turns into relative errors of 10⁻⁸ in a covariance. Differences of nearby
  // doubles are exact (Sterbenz), so distances are unchanged; only the sums gain the digits.
  const ox = n > 0 ? cloud.x[0]! : 0,
    oy = n > 0 ? cloud.y[0]! : 0,
    oz = n > 0 ? cloud.z[0]! : 0;
  const local = { x: new Float64Array(n), y: new Float64Array(n), z: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    local.x[i] = cloud.x[i]! - ox;
    local.y[i] = cloud.y[i]! - oy;
    local.z[i] = cloud.z[i]! - oz;
  }
  const coords = [local.x, local.y, local.z];
  // Node arrays sized for the worst case of a tree with leaves of ≥ LEAF_SIZE/2 points.
  const maxNodes = Math.max(1, 2 * Math.ceil((2 * n) / LEAF_SIZE) + 1);
  const lo = new Uint32Array(maxNodes);
  const hi = new Uint32Array(maxNodes);
  const right = new Int32Array(maxNodes); // -1 for a leaf; the left child is always node + 1
  const box = new Float64Array(maxNodes * 6);
  // Per node: centroid (3) and centred scatter Σ(p−m)(p−m)ᵀ as xx, yy, zz, xy, xz, yz (6).
  const mom = new Float64Array(maxNodes * 9);
  // Squared diagonal of each node's box, m²: how far apart its points can be (for `tolerance`).
  const diag2 = new Float64Array(maxNodes);
  let nodes = 0;

  const build = (from: number, to: number): number => {
    const node = nodes++;
    lo[node] = from;
    hi[node] = to;
    let minX = Infinity,
      minY = Infinity,
      minZ = Infinity,
      maxX = -Infinity,
      maxY = -Infinity,
      maxZ = -Infinity;
    for (let k = from; k < to; k++) {
      const i = perm[k]!;
      const px = local.x[i]!,
        py = local.y[i]!,
        pz = local.z[i]!;
      if (px < minX) minX = px;
      if (px > maxX) maxX = px;
      if (py < minY) minY = py;
      if (py > maxY) maxY = py;
      if (pz < minZ) minZ = pz;
      if (pz > maxZ) maxZ = pz;
    }
    const b = node * 6;
    box[b] = minX;
    box[b + 1] = minY;
    box[b + 2] = minZ;
    box[b + 3] = maxX;
    box[b + 4] = maxY;
    box[b + 5] = maxZ;
    diag2[node] = (maxX - minX) ** 2 + (maxY - minY) ** 2 + (maxZ - minZ) ** 2;
    const m = node * 9;
    if (to - from <= LEAF_SIZE) {
      right[node] = -1;
      // Two passes (mean, then centred sums): one-pass Σp² − n·m² cancels catastrophically at 10⁵ m.
      let cx = 0,
        cy = 0,
        cz = 0;
      for (let k = from; k < to; k++) {
        const i = perm[k]!;
        cx += local.x[i]!;
        cy += local.y[i]!;
        cz += local.z[i]!;
      }
      const cnt = to - from;
      cx /= cnt;
      cy /= cnt;
      cz /= cnt;
      let xx = 0,
        yy = 0,
        zz = 0,
        xy = 0,
        xz = 0,
        yz = 0;
      for (let k = from; k < to; k++) {
        const i = perm[k]!;
        const dx = local.x[i]! - cx,
          dy = local.y[i]! - cy,
          dz = local.z[i]! - cz;
        xx += dx * dx;
        yy += dy * dy;
        zz += dz * dz;
        xy += dx * dy;
        xz += dx * dz;
        yz += dy * dz;
      }
      mom[m] = cx;
      mom[m + 1] = cy;
      mom[m + 2] = cz;
      mom[m + 3] = xx;
      mom[m + 4] = yy;
      mom[m + 5] = zz;
      mom[m + 6] = xy;
      mom[m + 7] = xz;
      mom[m + 8] = yz;
      return node;
    }
    const ex = maxX - minX,
      ey = maxY - minY,
      ez = maxZ - minZ;
    const dim = ex >= ey && ex >= ez ? 0 : ey >= ez ? 1 : 2;
    const mid = (from + to) >>> 1;
    quickselect(perm, coords[dim]!, from, to - 1, mid);
    const L = build(from, mid);
    const R = build(mid, to);
    right[node] = R;
    // Chan et al.'s pairwise combination of the children's centroids and scatters.
    const nl = mid - from,
      nr = to - mid,
      nt = to - from;
    const l = L * 9,
      r = R * 9;
    const dx = mom[r]! - mom[l]!,
      dy = mom[r + 1]! - mom[l + 1]!,
      dz = mom[r + 2]! - mom[l + 2]!;
    const w = (nl * nr) / nt;
    mom[m] = mom[l]! + (dx * nr) / nt;
    mom[m + 1] = mom[l + 1]! + (dy * nr) / nt;
    mom[m + 2] = mom[l + 2]! + (dz * nr) / nt;
    mom[m + 3] = mom[l + 3]! + mom[r + 3]! + w * dx * dx;
    mom[m + 4] = mom[l + 4]! + mom[r + 4]! + w * dy * dy;
    mom[m + 5] = mom[l + 5]! + mom[r + 5]! + w * dz * dz;
    mom[m + 6] = mom[l + 6]! + mom[r + 6]! + w * dx * dy;
    mom[m + 7] = mom[l + 7]! + mom[r + 7]! + w * dx * dz;
    mom[m + 8] = mom[l + 8]! + mom[r + 8]! + w * dy * dz;
    return node;
  };
  if (n > 0) build(0, n);

  // Coordinates in tree order: leaf scans then walk memory linearly.
  const tx = new Float64Array(n),
    ty = new Float64Array(n),
    tz = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = perm[k]!;
    tx[k] = local.x[i]!;
    ty[k] = local.y[i]!;
    tz[k] = local.z[i]!;
  }
  const stack = new Int32Array(128);

  return {
    radius(qx, qy, qz, r, out) {
      out.count = 0;
      if (n === 0) return 0;
      qx -= ox;
      qy -= oy;
      qz -= oz;
      const r2 = r * r;
      let sp = 0;
      stack[sp++] = 0;
      while (sp > 0) {
        const node = stack[--sp]!;
        const b = node * 6;
        const x0 = box[b]!,
          y0 = box[b + 1]!,
          z0 = box[b + 2]!,
          x1 = box[b + 3]!,
          y1 = box[b + 4]!,
          z1 = box[b + 5]!;
        // Nearest and farthest distances from q to the node's box.
        const nx = qx < x0 ? x0 - qx : qx > x1 ? qx - x1 : 0;
        const ny = qy < y0 ? y0 - qy : qy > y1 ? qy - y1 : 0;
        const nz = qz < z0 ? z0 - qz : qz > z1 ? qz - z1 : 0;
        if (nx * nx + ny * ny + nz * nz > r2) continue;
        const fx = Math.max(qx - x0, x1 - qx),
          fy = Math.max(qy - y0, y1 - qy),
          fz = Math.max(qz - z0, z1 - qz);
        const inside = fx * fx + fy * fy + fz * fz <= r2;
        if (inside || right[node]! < 0) {
          for (let k = lo[node]!, end = hi[node]!; k < end; k++) {
            const dx = tx[k]! - qx,
              dy = ty[k]! - qy,
              dz = tz[k]! - qz;
            const d2 = dx * dx + dy * dy + dz * dz;
            if (inside || d2 <= r2) out.push(perm[k]!, d2);
          }
          continue;
        }
        stack[sp++] = right[node]!;
        stack[sp++] = node + 1;
      }
      return out.count;
    },

    radiusMoments(qx, qy, qz, radii2, acc, tolerance = 0) {
      if (n === 0) return;
      qx -= ox;
      qy -= oy;
      qz -= oz;
      const S = radii2.length;
      const rMax2 = radii2[S - 1]!;
      const tol2 = tolerance * tolerance;
      let sp = 0;
      stack[sp++] = 0;
      while (sp > 0) {
        const node = stack[--sp]!;
        const b = node * 6;
        const x0 = box[b]!,
          y0 = box[b + 1]!,
          z0 = box[b + 2]!,
          x1 = box[b + 3]!,
          y1 = box[b + 4]!,
          z1 = box[b + 5]!;
        const nx = qx < x0 ? x0 - qx : qx > x1 ? qx - x1 : 0;
        const ny = qy < y0 ? y0 - qy : qy > y1 ? qy - y1 : 0;
        const nz = qz < z0 ? z0 - qz : qz > z1 ? qz - z1 : 0;
        const near2 = nx * nx + ny * ny + nz * nz;
        if (near2 > rMax2) continue;
        const fx = Math.max(qx - x0, x1 - qx),
          fy = Math.max(qy - y0, y1 - qy),
          fz = Math.max(qz - z0, z1 - qz);
        const far2 = fx * fx + fy * fy + fz * fz;
        // The shell holding the farthest corner; the node is whole in it if its nearest point lies beyond the shell's inner radius.
        let s = 0;
        while (s < S && far2 > radii2[s]!) s++;
        let whole = s < S && (s === 0 || near2 > radii2[s - 1]!);
        if (!whole && tol2 > 0) {
          // Straddles a boundary: small enough next to the smallest boundary it crosses, it goes whole by its centroid.
          let sNear = 0;
          while (near2 > radii2[sNear]!) sNear++;
          if (diag2[node]! <= tol2 * radii2[sNear]!) {
            const m = node * 9;
            const dx = mom[m]! - qx,
              dy = mom[m + 1]! - qy,
              dz = mom[m + 2]! - qz;
            const d2 = dx * dx + dy * dy + dz * dz;
            if (d2 > rMax2) continue;
            s = sNear;
            while (d2 > radii2[s]!) s++;
            whole = true;
          }
        }
        if (whole) {
          const cnt = hi[node]! - lo[node]!;
          const m = node * 9;
          const dx = mom[m]! - qx,
            dy = mom[m + 1]! - qy,
            dz = mom[m + 2]! - qz;
          const a = s * 10;
          acc[a]! += cnt;
          acc[a + 1]! += cnt * dx;
          acc[a + 2]! += cnt * dy;
          acc[a + 3]! += cnt * dz;
          acc[a + 4]! += mom[m + 3]! + cnt * dx * dx;
          acc[a + 5]! += mom[m + 4]! + cnt * dy * dy;
          acc[a + 6]! += mom[m + 5]! + cnt * dz * dz;
          acc[a + 7]! += mom[m + 6]! + cnt * dx * dy;
          acc[a + 8]! += mom[m + 7]! + cnt * dx * dz;
          acc[a + 9]! += mom[m + 8]! + cnt * dy * dz;
          continue;
        }
        if (right[node]! < 0) {
          for (let k = lo[node]!, end = hi[node]!; k < end; k++) {
            const dx = tx[k]! - qx,
              dy = ty[k]! - qy,
              dz = tz[k]! - qz;
            const d2 = dx * dx + dy * dy + dz * dz;
            if (d2 > rMax2) continue;
            let t = 0;
            while (d2 > radii2[t]!) t++;
            const a = t * 10;
            acc[a]! += 1;
            acc[a + 1]! += dx;
            acc[a + 2]! += dy;
            acc[a + 3]! += dz;
            acc[a + 4]! += dx * dx;
            acc[a + 5]! += dy * dy;
            acc[a + 6]! += dz * dz;
            acc[a + 7]! += dx * dy;
            acc[a + 8]! += dx * dz;
            acc[a + 9]! += dy * dz;
          }
          continue;
        }
        stack[sp++] = right[node]!;
        stack[sp++] = node + 1;
      }
    },
  };
}

/** Partially sorts perm[left..right] (inclusive) so perm[k] holds the k-th smallest by `key`, smaller ones before it. */
function quickselect(perm: Uint32Array, key: Float64Array, left: number, right: number, k: number): void {
  while (right > left) {
    // Median of three as pivot: sorted or gridded inputs (common in scans) would make a fixed pivot quadratic.
    const m = (left + right) >>> 1;
    const a = key[perm[left]!]!,
      b = key[perm[m]!]!,
      c = key[perm[right]!]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = left,
      j = right;
    while (i <= j) {
      while (key[perm[i]!]! < pivot) i++;
      while (key[perm[j]!]! > pivot) j--;
      if (i <= j) {
        const t = perm[i]!;
        perm[i] = perm[j]!;
        perm[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

/**
 * A uniform grid hash: points bucketed in cubic cells of side `cellSize` metres (best near the
 * query radius), occupied cells found through an open-addressing hash table, so memory follows
 * the number of occupied cells, not the bounding box volume (a scan is a thin 2.5-D sheet).
 * Any radius works, but a radius much larger than the cell visits many cells.
 */
export function buildGridHash(cloud: PointCloud, cellSize: number): RadiusSearch {
  if (!(cellSize > 0)) throw new Error(`buildGridHash: cellSize must be > 0, got ${cellSize}`);
  const n = cloud.x.length;
  const inv = 1 / cellSize;
  let ox = Infinity,
    oy = Infinity,
    oz = Infinity;
  for (let i = 0; i < n; i++) {
    if (cloud.x[i]! < ox) ox = cloud.x[i]!;
    if (cloud.y[i]! < oy) oy = cloud.y[i]!;
    if (cloud.z[i]! < oz) oz = cloud.z[i]!;
  }
  let size = 1024;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const keyX = new Int32Array(size),
    keyY = new Int32Array(size),
    keyZ = new Int32Array(size);
  const used = new Uint8Array(size);
  const counts = new Uint32Array(size);
  const cellOf = new Uint32Array(n);
  const hash = (ix: number, iy: number, iz: number): number => (Math.imul(ix, 73856093) ^ Math.imul(iy, 19349663) ^ Math.imul(iz, 83492791)) & mask;
  const find = (ix: number, iy: number, iz: number): number => {
    let h = hash(ix, iy, iz);
    while (used[h] && (keyX[h] !== ix || keyY[h] !== iy || keyZ[h] !== iz)) h = (h + 1) & mask;
    return h;
  };
  for (let i = 0; i < n; i++) {
    const ix = Math.floor((cloud.x[i]! - ox) * inv),
      iy = Math.floor((cloud.y[i]! - oy) * inv),
      iz = Math.floor((cloud.z[i]! - oz) * inv);
    const h = find(ix, iy, iz);
    if (!used[h]) {
      used[h] = 1;
      keyX[h] = ix;
      keyY[h] = iy;
      keyZ[h] = iz;
    }
    counts[h]!++;
    cellOf[i] = h;
  }
  // Counting sort by cell: start[h] .. start[h]+counts[h] in the reordered arrays.
  const start = new Uint32Array(size);
  let acc = 0;
  for (let h = 0; h < size; h++) {
    start[h] = acc;
    acc += counts[h]!;
  }
  const fill = start.slice();
  const order = new Uint32Array(n);
  const sx = new Float64Array(n),
    sy = new Float64Array(n),
    sz = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = fill[cellOf[i]!]!++;
    order[k] = i;
    sx[k] = cloud.x[i]!;
    sy[k] = cloud.y[i]!;
    sz[k] = cloud.z[i]!;
  }
  return {
    radius(qx, qy, qz, r, out) {
      out.count = 0;
      if (n === 0) return 0; // the origin is ±Infinity then, and the cell loops would never end
      const r2 = r * r;
      const x0 = Math.floor((qx - r - ox) * inv),
        x1 = Math.floor((qx + r - ox) * inv);
      const y0 = Math.floor((qy - r - oy) * inv),
        y1 = Math.floor((qy + r - oy) * inv);
      const z0 = Math.floor((qz - r - oz) * inv),
        z1 = Math.floor((qz + r - oz) * inv);
      for (let iz = z0; iz <= z1; iz++)
        for (let iy = y0; iy <= y1; iy++)
          for (let ix = x0; ix <= x1; ix++) {
            const h = find(ix, iy, iz);
            if (!used[h]) continue;
            for (let k = start[h]!, end = k + counts[h]!; k < end; k++) {
              const dx = sx[k]! - qx,
                dy = sy[k]! - qy,
                dz = sz[k]! - qz;
              const d2 = dx * dx + dy * dy + dz * dz;
              if (d2 <= r2) out.push(order[k]!, d2);
            }
          }
      return out.count;
    },
  };
}
