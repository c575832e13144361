// The `lidar` dataset: seeded terrestrial-lidar scenes (dune, ski slope, park) as labelled x y z points, for the CANUPO lesson.

import { UserError } from '../errors.js';
import type { PointCloud } from '../data/point-cloud.js';
import { createRng, type Rng } from '../util/rng.js';

/** The scenes this generator draws. */
export const LIDAR_SCENES = ['dunes', 'ski', '4class'] as const;
/** One of {@link LIDAR_SCENES}. */
export type LidarSceneName = (typeof LIDAR_SCENES)[number];

/** Class names per scene, in label order. */
export const LIDAR_CLASSES: Record<LidarSceneName, readonly string[]> = {
  dunes: ['floor', 'vegetation'],
  ski: ['snow', 'tree'],
  '4class': ['path', 'grass', 'tree', 'wall'],
};

/** Default number of points: what the lesson uses. */
export const DEFAULT_LIDAR_POINTS = 200_000;

/** Options for {@link generateLidarScene}. */
export interface LidarSceneOptions {
  /** Which scene. */
  scene: LidarSceneName;
  /** Seed: the same seed gives the same scene, point for point. The geometry depends on it, not on `nPoints`. */
  seed: number;
  /** Number of points, 1,000–5,000,000; default 200,000 (the lesson's size; real scans hold 10⁵–10⁶). */
  nPoints?: number;
}

/** A generated scan: points in metres in a local frame (x, y horizontal, z up), one label per point. */
export interface LidarScene extends PointCloud {
  /** x, metres. */
  x: Float64Array;
  /** y, metres. */
  y: Float64Array;
  /** z (up), metres. */
  z: Float64Array;
  /** Class of each point, an index into `classes`. */
  label: Uint8Array;
  /** Class names (see {@link LIDAR_CLASSES}). */
  classes: string[];
  /** Scanner position [x, y, z], metres: every point was seen from here. */
  scanner: [number, number, number];
  /** The scene drawn. */
  scene: LidarSceneName;
}

/** Something that hides what is behind it: a vertical solid of revolution (tuft, shrub, tree). */
interface Occluder {
  /** Axis position, m. */
  cx: number;
  cy: number;
  /** Vertical extent, m. */
  zBase: number;
  zTop: number;
  /** Largest horizontal radius, m (for the azimuth bins). */
  rMax: number;
  /** Horizontal radius at height z (0 outside [zBase, zTop]), m. */
  radiusAt(z: number): number;
  /** Probability that a ray through it is stopped (vegetation is porous). */
  opacity: number;
}

/** A vertical wall segment from (ax, ay) to (bx, by), opaque up to `zTop`. */
interface Wall {
  ax: number;
  ay: number;
  bx: number;
  by: number;
  zTop: number;
  /** Wall id: the segments of one wall do not occlude each other. */
  id: number;
}

/** A sampled object (not ground): its share of candidates and how to draw a point on it. */
interface SceneObject {
  label: number;
  /** Expected points ∝ silhouette area / range², m²/m² (same units as the ground's weight). */
  weight: number;
  /** Writes a point of the object's surface or foliage into out[0..2]. */
  sample(rng: Rng, out: Float64Array): void;
  /** Index into the scene's occluders, to skip self-occlusion (−1: none). */
  occluderId: number;
  /** Wall id, to skip self-occlusion by the same wall (−1: none). */
  wallId: number;
}

/** Everything the sampler needs about one scene. */
interface SceneModel {
  scanner: [number, number, number];
  /** Azimuth range of the scan, radians, and horizontal range limits, m. */
  az0: number;
  az1: number;
  rhoMin: number;
  rhoMax: number;
  /** Ground elevation at (x, y), m, without roughness. */
  height(x: number, y: number): number;
  /**
   * Mean slope of the ground (dz/dx, dz/dy): the plane through the ground under the tripod that the scanner's
   * beams are traced to, to know where each beam lands (swells and ripples then set the point's height).
   */
  groundSlope: [number, number];
  /** Draws the ground point at (x, y): writes z (with roughness) into out[2], returns its label. */
  ground(rng: Rng, x: number, y: number, out: Float64Array): number;
  objects: SceneObject[];
  occluders: Occluder[];
  walls: Wall[];
  /**
   * Returns per m² of object silhouette, as a fraction of what an opaque surface facing the beam returns
   * (1/range² per angular step): foliage lets beams through and silhouettes are not filled. The ground's
   * grazing incidence is modelled by where the beams land, not here; calibrated per scene so class shares
   * resemble real scans of that kind.
   */
  objectGain: number;
}

/**
 * Generates a terrestrial lidar scan of a scene. How (see datasets/lidar/README.md):
 * 1. the geometry (terrain, tufts, trees, paths, walls) is drawn from the seed;
 * 2. candidate points are drawn as a scanner sweeps them, in equal steps of azimuth θ and of elevation
 *    angle φ: the ground where each beam meets the ground's mean plane, so on flat ground seen from
 *    a tripod at height h the density per m² falls as h/(ρ(ρ² + h²)), about h/ρ³ beyond a few
 *    tripod heights (the beam grazes the ground ever more flatly); objects, met nearly head-on, in
 *    proportion to silhouette / range²;
 * 3. a candidate is dropped when the ray from the scanner to it passes through another object
 *    (vegetation stops a ray with some probability, walls always): occlusion shadows;
 * 4. range noise moves survivors along their ray; steps 2–4 repeat until `nPoints` are kept.
 * About 0.3–0.6 s for 2·10⁵ points on one core.
 */
export function generateLidarScene(options: LidarSceneOptions): LidarScene {
  const { scene, seed } = options;
  if (!LIDAR_SCENES.includes(scene)) throw new UserError(`unknown lidar scene "${String(scene)}" (expected ${LIDAR_SCENES.join(', ')})`);
  const nPoints = options.nPoints ?? DEFAULT_LIDAR_POINTS;
  if (!Number.isInteger(nPoints) || nPoints < 1000 || nPoints > 5_000_000) {
    throw new UserError(`lidar scene size must be a whole number of points from 1000 to 5000000, got ${nPoints}`);
  }
  const root = createRng(seed);
  const geometryRng = root.fork();
  const scanRng = root.fork();
  const model = scene === 'dunes' ? dunes(geometryRng) : scene === 'ski' ? ski(geometryRng) : park(geometryRng);
  return scan(model, scene, nPoints, scanRng);
}

// ---------------------------------------------------------------------------------------------
// Sampling, occlusion, noise: shared by all scenes.

const AZ_BINS = 2048;

/**
 * Where a scanner's beams meet a ground plane: the tripod stands `h` m above the plane, which rises by `slope`
 * m per m along the beam's azimuth. A beam at depression angle φ (below the horizontal) lands at horizontal
 * range ρ = h / (tan φ + slope), so equal steps of φ put h / (ρ (ρ² + (h − slope·ρ)²)) points per m² and
 * per unit of θ·φ: on flat ground h / (ρ (ρ² + h²)). Exported for the tests.
 */
export function groundDensity(rho: number, h: number, slope = 0): number {
  return h / (rho * (rho * rho + (h - slope * rho) ** 2));
}

/** The depression angles (radians) at which beams of one azimuth meet the ground plane at ρmin and ρmax. */
function depressionRange(h: number, slope: number, rhoMin: number, rhoMax: number): [number, number] {
  return [Math.atan(h / rhoMax - slope), Math.atan(h / rhoMin - slope)];
}

/**
 * The horizontal range at which the beam at fraction `u` ∈ [0, 1) of the depression angles between ρmax and
 * ρmin lands: u drawn uniformly gives ranges with density ∝ ρ · {@link groundDensity} (per m of range).
 */
export function groundRangeAt(u: number, h: number, slope: number, rhoMin: number, rhoMax: number): number {
  const [p0, p1] = depressionRange(h, slope, rhoMin, rhoMax);
  const rho = h / (Math.tan(p0 + u * (p1 - p0)) + slope);
  return Math.min(rhoMax, Math.max(rhoMin, rho));
}

function scan(m: SceneModel, scene: LidarSceneName, nPoints: number, rng: Rng): LidarScene {
  const [sx, sy, sz] = m.scanner;
  const h = sz - m.height(sx, sy);
  const slopeAt = (theta: number): number => m.groundSlope[0] * Math.cos(theta) + m.groundSlope[1] * Math.sin(theta);
  const spanAt = (theta: number): number => {
    const [p0, p1] = depressionRange(h, slopeAt(theta), m.rhoMin, m.rhoMax);
    return p1 - p0;
  };
  // Ground weight: the sector's extent in θ·φ, ∫ Δφ(θ) dθ (radians², the same unit as silhouette / range²).
  const STEPS = 512;
  let spanSum = 0,
    spanMax = 0;
  for (let k = 0; k < STEPS; k++) {
    const span = spanAt(m.az0 + ((k + 0.5) / STEPS) * (m.az1 - m.az0));
    spanSum += span;
    spanMax = Math.max(spanMax, span);
  }
  spanMax *= 1.001; // the grid may miss the true maximum by a hair
  const weights = [(m.az1 - m.az0) * (spanSum / STEPS), ...m.objects.map((o) => o.weight * m.objectGain)];
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => (cumulative[i] = total += w));

  // Occluders by azimuth bin, so a point checks only those in its direction.
  const bins: number[][] = Array.from({ length: AZ_BINS }, () => []);
  const binOf = (theta: number): number => {
    const t = (theta / (2 * Math.PI)) % 1;
    return Math.floor((t < 0 ? t + 1 : t) * AZ_BINS) % AZ_BINS;
  };
  m.occluders.forEach((o, k) => {
    const dx = o.cx - sx,
      dy = o.cy - sy;
    const d = Math.hypot(dx, dy);
    if (d <= o.rMax) return; // the scanner stands inside it: ignore rather than black out everything
    const half = Math.asin(o.rMax / d);
    const c = Math.atan2(dy, dx);
    const steps = Math.ceil((2 * half * AZ_BINS) / (2 * Math.PI)) + 1;
    for (let s = 0; s <= steps; s++) {
      const bin = binOf(c - half + (2 * half * s) / steps);
      const list = bins[bin]!;
      if (list[list.length - 1] !== k) list.push(k);
    }
  });

  const occluded = (px: number, py: number, pz: number, selfOcc: number, selfWall: number): boolean => {
    const rx = px - sx,
      ry = py - sy;
    const len2 = rx * rx + ry * ry;
    for (const k of bins[binOf(Math.atan2(ry, rx))]!) {
      if (k === selfOcc) continue;
      const o = m.occluders[k]!;
      const t = ((o.cx - sx) * rx + (o.cy - sy) * ry) / len2;
      if (t <= 0 || t >= 1) continue;
      const zr = sz + t * (pz - sz);
      const r = o.radiusAt(zr);
      if (r <= 0) continue;
      const ex = sx + t * rx - o.cx,
        ey = sy + t * ry - o.cy;
      if (ex * ex + ey * ey < r * r && rng.next() < o.opacity) return true;
    }
    for (const w of m.walls) {
      if (w.id === selfWall) continue;
      // Ray S→P against segment A→B in the plane: S + t·r = A + u·(B − A).
      const wx = w.bx - w.ax,
        wy = w.by - w.ay;
      const den = rx * wy - ry * wx;
      if (den === 0) continue;
      const ax = w.ax - sx,
        ay = w.ay - sy;
      const t = (ax * wy - ay * wx) / den;
      const u = (ax * ry - ay * rx) / den;
      if (t <= 0 || t >= 0.999 || u < 0 || u > 1) continue;
      if (sz + t * (pz - sz) < w.zTop) return true;
    }
    return false;
  };

  const x = new Float64Array(nPoints),
    y = new Float64Array(nPoints),
    z = new Float64Array(nPoints);
  const label = new Uint8Array(nPoints);
  const p = new Float64Array(3);
  let kept = 0;
  const maxCandidates = 100 * nPoints;
  for (let tries = 0; kept < nPoints; tries++) {
    if (tries > maxCandidates) throw new Error(`lidar ${scene}: occlusion rejected almost every point (bug in the scene model)`);
    const u = rng.next() * total;
    let lo = 0,
      hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    let lab: number;
    let selfOcc = -1,
      selfWall = -1;
    if (lo === 0) {
      // Equal steps of azimuth and elevation angle: θ drawn in proportion to the φ-span its beams sweep
      // over the ground (rejection), then φ uniform in it, and the beam traced to the ground plane.
      let theta = 0;
      do theta = m.az0 + rng.next() * (m.az1 - m.az0);
      while (rng.next() * spanMax > spanAt(theta));
      const rho = groundRangeAt(rng.next(), h, slopeAt(theta), m.rhoMin, m.rhoMax);
      p[0] = sx + rho * Math.cos(theta);
      p[1] = sy + rho * Math.sin(theta);
      lab = m.ground(rng, p[0], p[1], p);
    } else {
      const o = m.objects[lo - 1]!;
      o.sample(rng, p);
      lab = o.label;
      selfOcc = o.occluderId;
      selfWall = o.wallId;
    }
    if (occluded(p[0]!, p[1]!, p[2]!, selfOcc, selfWall)) continue;
    // Range noise: along the beam, growing slowly with range (≈ 3 mm + 0.3 mm/m).
    const dx = p[0]! - sx,
      dy = p[1]! - sy,
      dz = p[2]! - sz;
    const range = Math.sqrt(dx * dx + dy * dy + dz * dz);
    const k = ((0.003 + 0.0003 * range) * rng.normal()) / range;
    x[kept] = p[0]! + k * dx;
    y[kept] = p[1]! + k * dy;
    z[kept] = p[2]! + k * dz;
    label[kept] = lab;
    kept++;
  }
  return { x, y, z, label, classes: [...LIDAR_CLASSES[scene]], scanner: [sx, sy, sz], scene };
}

// ---------------------------------------------------------------------------------------------
// Shapes shared by the scenes.

const uniform = (rng: Rng, a: number, b: number): number => a + (b - a) * rng.next();

/** A random horizontal position in the scanned sector, at least `margin` m inside its range limits. */
function placeInSector(rng: Rng, m: Pick<SceneModel, 'az0' | 'az1' | 'rhoMin' | 'rhoMax' | 'scanner'>, margin: number): [number, number] {
  // Uniform in area (ρ ∝ √U), so objects are spread as on the ground, not crowded near the scanner.
  const r0 = m.rhoMin + margin,
    r1 = m.rhoMax - margin;
  const rho = Math.sqrt(r0 * r0 + rng.next() * (r1 * r1 - r0 * r0));
  const theta = uniform(rng, m.az0, m.az1);
  return [m.scanner[0] + rho * Math.cos(theta), m.scanner[1] + rho * Math.sin(theta)];
}

/** Squared horizontal distance from the scanner. */
const range2 = (m: Pick<SceneModel, 'scanner'>, x: number, y: number): number => (x - m.scanner[0]) ** 2 + (y - m.scanner[1]) ** 2;

/**
 * Whether a point on an object, seen from the scanner, is on its far side (its direction from the
 * axis points away from the scanner): far-side returns are kept with probability `through`,
 * for foliage lets some beams in; 0 for opaque trunks.
 */
function farSideDropped(rng: Rng, sx: number, sy: number, cx: number, cy: number, px: number, py: number, through: number): boolean {
  const toScanner = (sx - cx) * (px - cx) + (sy - cy) * (py - cy);
  return toScanner < 0 && rng.next() >= through;
}

/**
 * A grass tuft: blades (thin, slightly curved lines) leaning out of a base disc. At a few
 * centimetres a blade is 1-D, at half a metre the tuft is a 3-D clump: the scale trap.
 */
function tuft(rng: Rng, m: SceneModel, cx: number, cy: number, radius: number, height: number, label: number, occluderId: number): SceneObject {
  const zb = m.height(cx, cy);
  const nBlades = 20 + rng.int(40);
  const blades = new Float64Array(nBlades * 6); // base x, y, lean x, lean y, length, curvature
  for (let b = 0; b < nBlades; b++) {
    const a = rng.next() * 2 * Math.PI,
      r = radius * 0.5 * Math.sqrt(rng.next());
    const lean = uniform(rng, 0.15, 0.8);
    blades.set(
      [cx + r * Math.cos(a), cy + r * Math.sin(a), lean * Math.cos(a), lean * Math.sin(a), height * uniform(rng, 0.5, 1.1), uniform(rng, 0, 0.4)],
      b * 6,
    );
  }
  const [sx, sy] = m.scanner;
  return {
    label,
    occluderId,
    wallId: -1,
    weight: (2 * radius * height * 0.6) / range2(m, cx, cy),
    sample(g, out) {
      for (;;) {
        const b = g.int(nBlades) * 6;
        const t = g.next();
        const len = blades[b + 4]!,
          curve = blades[b + 5]!;
        const lean = t + curve * t * t; // blades bend outward towards their tips
        const px = blades[b]! + blades[b + 2]! * lean * len + 0.004 * g.normal();
        const py = blades[b + 1]! + blades[b + 3]! * lean * len + 0.004 * g.normal();
        if (farSideDropped(g, sx, sy, cx, cy, px, py, 0.4)) continue;
        out[0] = px;
        out[1] = py;
        out[2] = zb + t * len * (1 - 0.3 * curve * t) + 0.004 * g.normal();
        return;
      }
    },
  };
}

/** Foliage filling an ellipsoid cap (a shrub or a broadleaf crown): leaves mostly near the surface. */
function foliage(
  _rng: Rng,
  m: SceneModel,
  cx: number,
  cy: number,
  zc: number,
  rh: number,
  rz: number,
  zFloor: number,
  label: number,
  occluderId: number,
): SceneObject {
  const [sx, sy] = m.scanner;
  const visibleTop = zc + rz,
    visibleBottom = Math.max(zFloor, zc - rz);
  return {
    label,
    occluderId,
    wallId: -1,
    weight: (2 * rh * (visibleTop - visibleBottom) * 0.8) / range2(m, cx, cy),
    sample(g, out) {
      for (;;) {
        // A random direction, then a depth below the surface skewed outward (leaves catch the beam first).
        const u = 2 * g.next() - 1,
          phi = 2 * Math.PI * g.next();
        const s = Math.sqrt(1 - u * u);
        const depth = 1 - 0.45 * g.next() ** 2;
        const px = cx + rh * depth * s * Math.cos(phi),
          py = cy + rh * depth * s * Math.sin(phi);
        const pz = zc + rz * depth * u;
        if (pz < zFloor) continue;
        if (farSideDropped(g, sx, sy, cx, cy, px, py, 0.3)) continue;
        out[0] = px + 0.01 * g.normal();
        out[1] = py + 0.01 * g.normal();
        out[2] = pz + 0.01 * g.normal();
        return;
      }
    },
  };
}

/** An ellipsoid occluder (shrub, crown) from zBase to zTop. */
function ellipsoidOccluder(cx: number, cy: number, zc: number, rh: number, rz: number, zFloor: number, opacity: number): Occluder {
  return {
    cx,
    cy,
    zBase: Math.max(zFloor, zc - rz),
    zTop: zc + rz,
    rMax: rh,
    opacity,
    radiusAt: (z) => {
      const v = (z - zc) / rz;
      return v >= 1 || v <= -1 || z < zFloor ? 0 : rh * Math.sqrt(1 - v * v);
    },
  };
}

/** A trunk: an opaque vertical cylinder; only its scanner-facing half returns points. */
function trunk(m: SceneModel, cx: number, cy: number, radius: number, z0: number, z1: number, label: number, occluderId: number): SceneObject {
  const [sx, sy] = m.scanner;
  const facing = Math.atan2(sy - cy, sx - cx);
  return {
    label,
    occluderId,
    wallId: -1,
    weight: (2 * radius * (z1 - z0)) / range2(m, cx, cy),
    sample(g, out) {
      const a = facing + (g.next() - 0.5) * Math.PI;
      out[0] = cx + radius * Math.cos(a) + 0.005 * g.normal();
      out[1] = cy + radius * Math.sin(a) + 0.005 * g.normal();
      out[2] = z0 + (z1 - z0) * g.next();
    },
  };
}

/** Random phases for the sums of sines that shape terrain. */
const phases = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.next() * 2 * Math.PI);

// ---------------------------------------------------------------------------------------------
// The scenes.

/**
 * A beach dune seen from its foot: an undulating sand face (metre-scale swells, 15 cm ripples,
 * 5 mm grain roughness, rougher trampled patches) with marram-grass tufts and a few shrubs.
 */
function dunes(rng: Rng): SceneModel {
  const ph = phases(rng, 5);
  const height = (x: number, y: number): number =>
    0.09 * x +
    0.5 * Math.sin((2 * Math.PI * x) / 11 + ph[0]!) * Math.cos((2 * Math.PI * y) / 17 + ph[1]!) +
    0.25 * Math.sin((2 * Math.PI * (x + y)) / 6.3 + ph[2]!);
  // Trampled or debris-strewn patches: centimetric roughness that looks like low vegetation at small radii.
  const patches = Array.from({ length: 12 }, () => [uniform(rng, 2, 25), uniform(rng, -18, 18), uniform(rng, 0.8, 2.5)] as const);
  const ripple = ph[3]!,
    rippleDir = ph[4]!;
  const cosR = Math.cos(rippleDir),
    sinR = Math.sin(rippleDir);
  const m: SceneModel = {
    scanner: [0, 0, 0],
    az0: (-50 * Math.PI) / 180,
    az1: (50 * Math.PI) / 180,
    rhoMin: 2,
    rhoMax: 25,
    height,
    groundSlope: [0.09, 0],
    ground(g, x, y, out) {
      let z = height(x, y) + 0.012 * Math.sin((2 * Math.PI * (x * cosR + y * sinR)) / 0.15 + ripple) + 0.005 * g.normal();
      for (const [px, py, pr] of patches) if ((x - px) ** 2 + (y - py) ** 2 < pr * pr) z += 0.035 * Math.abs(g.normal());
      out[2] = z;
      return 0;
    },
    objects: [],
    occluders: [],
    walls: [],
    objectGain: 0.27,
  };
  m.scanner[2] = height(0, 0) + 1.8;
  for (let k = 0; k < 260; k++) {
    const [cx, cy] = placeInSector(rng, m, 0.6);
    // Mostly knee-high tufts, some tiny sparse ones (these overlap with rough sand).
    const small = rng.next() < 0.3;
    const radius = small ? uniform(rng, 0.08, 0.18) : uniform(rng, 0.2, 0.5);
    const h = small ? uniform(rng, 0.08, 0.2) : uniform(rng, 0.3, 0.9);
    const zb = height(cx, cy);
    const id = m.occluders.length;
    m.occluders.push(ellipsoidOccluder(cx, cy, zb, radius * 0.7, h, zb, 0.5));
    m.objects.push(tuft(rng, m, cx, cy, radius, h, 1, id));
  }
  for (let k = 0; k < 14; k++) {
    const [cx, cy] = placeInSector(rng, m, 1.5);
    const rh = uniform(rng, 0.4, 1.0),
      rz = uniform(rng, 0.4, 1.0);
    const zb = height(cx, cy),
      zc = zb + rz * 0.3;
    const id = m.occluders.length;
    m.occluders.push(ellipsoidOccluder(cx, cy, zc, rh, rz, zb, 0.8));
    m.objects.push(foliage(rng, m, cx, cy, zc, rh, rz, zb, 1, id));
  }
  return m;
}

/**
 * A ski slope seen from below: a smooth snow plane tilted 25° with gentle swells (8 mm noise),
 * with conifers (conical crowns of penetrable branches, a trunk below) in stands and alone,
 * and saplings half-buried in snow.
 */
function ski(rng: Rng): SceneModel {
  const ph = phases(rng, 2);
  const slope = Math.tan((25 * Math.PI) / 180);
  const height = (x: number, y: number): number =>
    slope * x + 0.4 * Math.sin((2 * Math.PI * y) / 23 + ph[0]!) + 0.2 * Math.sin((2 * Math.PI * x) / 13 + ph[1]!);
  const m: SceneModel = {
    scanner: [0, 0, 0],
    az0: (-40 * Math.PI) / 180,
    az1: (40 * Math.PI) / 180,
    rhoMin: 3,
    rhoMax: 60,
    height,
    groundSlope: [slope, 0],
    ground(g, x, y, out) {
      out[2] = height(x, y) + 0.008 * g.normal();
      return 0;
    },
    objects: [],
    occluders: [],
    walls: [],
    objectGain: 0.16,
  };
  m.scanner[2] = height(0, 0) + 1.6;
  const stands = Array.from({ length: 4 }, () => placeInSector(rng, m, 8));
  const addTree = (cx: number, cy: number, h: number): void => {
    const zg = height(cx, cy);
    const crownBase = zg + (h < 2 ? -0.2 : uniform(rng, 0.3, 1.5)); // saplings start under the snow
    const top = zg + h;
    const rb = h * uniform(rng, 0.18, 0.28);
    const id = m.occluders.length;
    m.occluders.push({
      cx,
      cy,
      zBase: zg,
      zTop: top,
      rMax: rb,
      opacity: 0.7,
      radiusAt: (z) => (z < zg || z > top ? 0 : z < crownBase ? 0.15 : (rb * 0.75 * (top - z)) / (top - crownBase)),
    });
    const [sx, sy] = m.scanner;
    m.objects.push({
      label: 1,
      occluderId: id,
      wallId: -1,
      weight: (rb * (top - crownBase)) / range2(m, cx, cy),
      sample(g, out) {
        for (;;) {
          // Uniform on the cone's side: height fraction with density ∝ (1 − u).
          const u = 1 - Math.sqrt(g.next());
          const zc = crownBase + u * (top - crownBase);
          if (zc < zg) continue; // under the snow
          const r = rb * (1 - u) * (1 - 0.35 * g.next()); // branches let the beam in a little
          const a = 2 * Math.PI * g.next();
          const px = cx + r * Math.cos(a),
            py = cy + r * Math.sin(a);
          if (farSideDropped(g, sx, sy, cx, cy, px, py, 0.15)) continue;
          out[0] = px + 0.02 * g.normal();
          out[1] = py + 0.02 * g.normal();
          out[2] = zc - 0.05 * Math.abs(g.normal()) * r; // branch tips droop
          return;
        }
      },
    });
    if (crownBase > zg + 0.2) m.objects.push(trunk(m, cx, cy, 0.08 + 0.012 * h, zg, crownBase, 1, id));
  };
  for (let k = 0; k < 24; k++) {
    const [ox, oy] = stands[k % stands.length]!;
    const cx = ox + 6 * rng.normal(),
      cy = oy + 6 * rng.normal();
    const rho = Math.sqrt(range2(m, cx, cy)),
      th = Math.atan2(cy - m.scanner[1], cx - m.scanner[0]);
    if (rho < m.rhoMin + 3 || rho > m.rhoMax - 2 || th < m.az0 || th > m.az1) continue;
    addTree(cx, cy, uniform(rng, 4, 14));
  }
  for (let k = 0; k < 8; k++) addTree(...placeInSector(rng, m, 4), uniform(rng, 3, 10));
  for (let k = 0; k < 25; k++) addTree(...placeInSector(rng, m, 2), uniform(rng, 0.6, 1.8));
  return m;
}

/**
 * A park scanned from a path junction, all around: smooth paths (3 mm, cambered), grass as a
 * 2–12 cm thick rough layer over gentle terrain, broadleaf trees (trunk and crown) and garden
 * walls and a building facade (vertical planes, opaque).
 */
function park(rng: Rng): SceneModel {
  const ph = phases(rng, 3);
  const height = (x: number, y: number): number => 0.3 * Math.sin((2 * Math.PI * x) / 40 + ph[0]!) + 0.25 * Math.sin((2 * Math.PI * y) / 31 + ph[1]!);
  // Paths: straight strips, the first two through the scanner's position.
  const paths = Array.from({ length: 4 }, (_, k) => {
    const a = k === 0 ? ph[2]! : k === 1 ? ph[2]! + Math.PI / 2 + uniform(rng, -0.3, 0.3) : rng.next() * Math.PI;
    const off = k < 2 ? 0 : uniform(rng, 8, 25) * (rng.next() < 0.5 ? -1 : 1);
    return { nx: -Math.sin(a), ny: Math.cos(a), off, half: uniform(rng, 0.8, 1.5) };
  });
  const pathDist = (x: number, y: number): number => Math.min(...paths.map((p) => Math.abs(p.nx * x + p.ny * y - p.off) - p.half));
  const m: SceneModel = {
    scanner: [0, 0, 0],
    az0: -Math.PI,
    az1: Math.PI,
    rhoMin: 2,
    rhoMax: 35,
    height,
    groundSlope: [0, 0],
    ground(g, x, y, out) {
      const d = pathDist(x, y);
      if (d < 0) {
        // Cambered path: crown of ≈ 3 cm in the middle.
        out[2] = height(x, y) + 0.03 * Math.min(1, -d) + 0.003 * g.normal();
        return 0;
      }
      // Grass: the beam stops anywhere in the blade layer, thicker away from mown edges.
      const layer = 0.02 + 0.1 * Math.min(1, d / 2);
      out[2] = height(x, y) + layer * Math.sqrt(g.next()) + 0.005 * g.normal();
      return 1;
    },
    objects: [],
    occluders: [],
    walls: [],
    objectGain: 0.95,
  };
  m.scanner[2] = height(0, 0) + 1.5;
  let placed = 0;
  for (let tries = 0; placed < 14 && tries < 500; tries++) {
    const [cx, cy] = placeInSector(rng, m, 3);
    if (pathDist(cx, cy) < 1.5) continue;
    placed++;
    const zg = height(cx, cy);
    const trunkTop = zg + uniform(rng, 1.8, 3.5);
    const rh = uniform(rng, 1.5, 3.5),
      rz = uniform(rng, 1.5, 3);
    const zc = trunkTop + rz * 0.7;
    const id = m.occluders.length;
    const crown = ellipsoidOccluder(cx, cy, zc, rh, rz, trunkTop, 0.85);
    const trunkR = uniform(rng, 0.15, 0.35);
    m.occluders.push({ ...crown, zBase: zg, radiusAt: (z) => (z >= zg && z < trunkTop ? trunkR : crown.radiusAt(z)) });
    m.objects.push(trunk(m, cx, cy, trunkR, zg, trunkTop, 2, id));
    m.objects.push(foliage(rng, m, cx, cy, zc, rh, rz, trunkTop - 0.5, 2, id));
  }
  // Walls: a facade and garden walls, as chains of ≤ 2 m segments so range varies along them.
  for (let w = 0; w < 5; w++) {
    const facade = w === 0;
    const [cx, cy] = placeInSector(rng, m, facade ? 10 : 5);
    if (pathDist(cx, cy) < 1 && !facade) continue;
    const len = facade ? uniform(rng, 12, 20) : uniform(rng, 4, 12);
    // Facing the scanner more or less, so it is seen: the normal within ±60° of the view direction.
    const view = Math.atan2(cy - m.scanner[1], cx - m.scanner[0]);
    const along = view + Math.PI / 2 + uniform(rng, -Math.PI / 3, Math.PI / 3);
    const ux = Math.cos(along),
      uy = Math.sin(along);
    const top = facade ? uniform(rng, 6, 9) : uniform(rng, 1, 2.5);
    const nSeg = Math.ceil(len / 2);
    for (let s = 0; s < nSeg; s++) {
      const a = -len / 2 + (s * len) / nSeg,
        b = -len / 2 + ((s + 1) * len) / nSeg;
      const ax = cx + a * ux,
        ay = cy + a * uy,
        bx = cx + b * ux,
        by = cy + b * uy;
      m.walls.push({ ax, ay, bx, by, zTop: height(cx, cy) + top, id: w });
      const mx = (ax + bx) / 2,
        my = (ay + by) / 2;
      const d2 = range2(m, mx, my);
      const incidence = Math.abs((mx - m.scanner[0]) * -uy + (my - m.scanner[1]) * ux) / Math.sqrt(d2);
      const zBase = height(mx, my);
      m.objects.push({
        label: 3,
        occluderId: -1,
        wallId: w,
        weight: ((b - a) * top * Math.max(incidence, 0.1)) / d2,
        sample(g, out) {
          const t = g.next();
          // Mortar joints every 25 cm: a few millimetres of relief, as brick or stone walls have.
          const zz = zBase + top * g.next();
          const joint = (zz * 4) % 1 < 0.08 ? -0.006 : 0;
          out[0] = ax + t * (bx - ax) + -uy * (joint + 0.002 * g.normal());
          out[1] = ay + t * (by - ay) + ux * (joint + 0.002 * g.normal());
          out[2] = zz;
        },
      });
    }
  }
  return m;
}
