// The point-cloud shape the LAS and XYZ readers return and every lidar module shares, and the few operations on it
// that are not maths. Generic, so it lives with the readers in data/.

/**
 * A point cloud in structure-of-arrays form: three Float64Arrays of the same length.
 * Separate arrays (not one interleaved x,y,z array) because readers, the generator, renderers
 * and feature code all want one coordinate at a time, and Float64 because real files carry
 * georeferenced coordinates (10⁵–10⁶ m) with millimetre resolution, which Float32 cannot hold.
 */
export interface PointCloud {
  /** Easting or local x, metres. */
  x: Float64Array;
  /** Northing or local y, metres. */
  y: Float64Array;
  /** Elevation, metres. */
  z: Float64Array;
  /** Class of each point as an index into `classes`; absent when the cloud is unlabelled. */
  label?: Uint8Array;
  /** Class names, indexed by `label` (e.g. `['floor', 'vegetation']`). */
  classes?: string[];
  /** Extra per-point columns by name (e.g. `intensity`, unitless sensor counts), same length as `x`. */
  attributes?: Record<string, Float64Array>;
}

/** Axis-aligned bounding box of a cloud, metres. */
export interface BoundingBox {
  /** Smallest x, y, z, metres. */
  min: [number, number, number];
  /** Largest x, y, z, metres. */
  max: [number, number, number];
}

/** The number of points. */
export function pointCount(cloud: PointCloud): number {
  return cloud.x.length;
}

/** The axis-aligned bounding box (all ±Infinity for an empty cloud). */
export function boundingBox(cloud: PointCloud): BoundingBox {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  const axes = [cloud.x, cloud.y, cloud.z];
  for (let a = 0; a < 3; a++) {
    const v = axes[a]!;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < v.length; i++) {
      const t = v[i]!;
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    min[a] = lo;
    max[a] = hi;
  }
  return { min, max };
}

/**
 * Concatenates labelled clouds into one, merging their class lists by name, so that
 * "one class per file" exports (dunes-floor.xyz + dunes-vegetation.xyz) become one training set.
 * Unlabelled inputs are an error: mixing them would silently invent a class.
 */
export function mergeClouds(clouds: readonly PointCloud[]): PointCloud {
  const classes: string[] = [];
  let n = 0;
  for (const c of clouds) {
    if (!c.label || !c.classes) throw new Error('mergeClouds: every cloud must carry label and classes');
    for (const name of c.classes) if (!classes.includes(name)) classes.push(name);
    n += c.x.length;
  }
  if (classes.length > 256) throw new Error('mergeClouds: more than 256 classes');
  const out: Required<Omit<PointCloud, 'attributes'>> = {
    x: new Float64Array(n),
    y: new Float64Array(n),
    z: new Float64Array(n),
    label: new Uint8Array(n),
    classes,
  };
  let at = 0;
  for (const c of clouds) {
    out.x.set(c.x, at);
    out.y.set(c.y, at);
    out.z.set(c.z, at);
    const remap = c.classes!.map((name) => classes.indexOf(name));
    const lab = c.label!;
    for (let i = 0; i < lab.length; i++) out.label[at + i] = remap[lab[i]!]!;
    at += c.x.length;
  }
  return out;
}
