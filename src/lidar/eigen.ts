// Closed-form eigenvalues of a symmetric 3×3 matrix (a neighbourhood's covariance), robust to scale and degeneracy.

/**
 * Eigenvalues λ1 ≥ λ2 ≥ λ3 of the symmetric matrix [[a, d, e], [d, b, f], [e, f, c]],
 * written into `out[offset..offset+2]`.
 *
 * Trigonometric solution of the characteristic cubic (Smith 1961), with two safeguards:
 * the matrix is first scaled by its largest entry, so tiny (mm² covariances) and huge values
 * neither underflow nor lose digits; and the arccos argument is clamped to [-1, 1], since
 * rounding can push it just outside when two eigenvalues coincide (a line or a ball).
 * Accuracy: about 1e-8 of the largest |λ| in the worst case (repeated eigenvalues, where the
 * arccos of a value near ±1 keeps only half the digits); far below what lidar noise resolves.
 * Works for any symmetric matrix (negative eigenvalues included); callers holding a covariance
 * clamp the tiny negative values rounding can give a positive semi-definite matrix.
 */
export function symmetricEigenvalues3(a: number, b: number, c: number, d: number, e: number, f: number, out: Float64Array | number[], offset = 0): void {
  const scale = Math.max(Math.abs(a), Math.abs(b), Math.abs(c), Math.abs(d), Math.abs(e), Math.abs(f));
  if (scale === 0 || !Number.isFinite(scale)) {
    const v = scale === 0 ? 0 : NaN;
    out[offset] = v;
    out[offset + 1] = v;
    out[offset + 2] = v;
    return;
  }
  a /= scale;
  b /= scale;
  c /= scale;
  d /= scale;
  e /= scale;
  f /= scale;
  const offDiag = d * d + e * e + f * f;
  let l1: number;
  let l2: number;
  let l3: number;
  const q = (a + b + c) / 3;
  const aq = a - q;
  const bq = b - q;
  const cq = c - q;
  const p2 = aq * aq + bq * bq + cq * cq + 2 * offDiag;
  if (p2 < 1e-30) {
    // A multiple of the identity (to rounding): all three equal.
    l1 = l2 = l3 = q;
  } else {
    const p = Math.sqrt(p2 / 6);
    // det((A - qI) / p) / 2, expanded by hand to avoid allocating.
    const ba = aq / p,
      bb = bq / p,
      bc = cq / p,
      bd = d / p,
      be = e / p,
      bf = f / p;
    const det = ba * (bb * bc - bf * bf) - bd * (bd * bc - bf * be) + be * (bd * bf - bb * be);
    let r = det / 2;
    if (r < -1) r = -1;
    else if (r > 1) r = 1;
    const phi = Math.acos(r) / 3;
    l1 = q + 2 * p * Math.cos(phi);
    l3 = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
    l2 = 3 * q - l1 - l3;
  }
  // Sorting guards the rare rounding case where l2 lands a hair outside [l3, l1].
  if (l2 > l1) {
    const t = l1;
    l1 = l2;
    l2 = t;
  }
  if (l3 > l2) {
    const t = l2;
    l2 = l3;
    l3 = t;
  }
  if (l2 > l1) {
    const t = l1;
    l1 = l2;
    l2 = t;
  }
  out[offset] = l1 * scale;
  out[offset + 1] = l2 * scale;
  out[offset + 2] = l3 * scale;
}
