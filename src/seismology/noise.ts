// Fast Gaussian noise from the project's one seeded RNG (ziggurat), since synthetic seismograms need millions of samples.
import type { Rng } from '../util/rng.js';

// Marsaglia & Tsang (2000) ziggurat tables for the standard normal, 128 layers.
const R = 3.442619855899;
const V = 9.91256303526217e-3;
const KN = new Float64Array(128);
const WN = new Float64Array(128);
const FN = new Float64Array(128);
{
  const m1 = 2147483648;
  let dn = R;
  let tn = dn;
  const q = V / Math.exp(-0.5 * dn * dn);
  KN[0] = (dn / q) * m1;
  KN[1] = 0;
  WN[0] = q / m1;
  WN[127] = dn / m1;
  FN[0] = 1;
  FN[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = (dn / tn) * m1;
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / m1;
  }
}

/**
 * One N(0, 1) draw by the ziggurat method: about one uniform per draw and rarely a logarithm, several
 * times faster than Box–Muller (`rng.normal()`), with the same distribution.
 */
export function zigguratNormal(rng: Rng): number {
  for (;;) {
    const hz = (rng.next() * 4294967296) | 0; // a signed 32-bit integer
    const iz = hz & 127;
    if (Math.abs(hz) < KN[iz]!) return hz * WN[iz]!;
    const x = hz * WN[iz]!;
    if (iz === 0) {
      // The tail beyond R, by Marsaglia's exponential rejection.
      let tx: number;
      let ty: number;
      do {
        tx = -Math.log(1 - rng.next()) / R;
        ty = -Math.log(1 - rng.next());
      } while (ty + ty < tx * tx);
      return hz > 0 ? R + tx : -R - tx;
    }
    if (FN[iz]! + rng.next() * (FN[iz - 1]! - FN[iz]!) < Math.exp(-0.5 * x * x)) return x;
  }
}

/** `n` samples of white Gaussian noise with standard deviation `sigma` (input units, e.g. nm/s). */
export function gaussianNoise(rng: Rng, n: number, sigma = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = sigma * zigguratNormal(rng);
  return out;
}
