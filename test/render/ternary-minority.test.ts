// A class nine times smaller than the other must still show where it lies in the triangle: a cell takes the class
// with the largest share of its own points there (the real dune's 0.5 m triangle had painted every cell as floor).
import { describe, expect, it } from 'vitest';
import { renderTernary } from '../../src/render/ternary.js';
import { createRng } from '../../src/util/rng.js';

/** n points on the 1-D–2-D edge (a3D ≈ 0.01), a2D uniform within `half` of `centre`. */
function edgePoints(n: number, centre: number, seed: number, half = 0.08): { a: number[]; b: number[]; c: number[] } {
  const rng = createRng(seed);
  const a: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < n; i++) {
    const two = Math.min(0.98, Math.max(0.02, centre + half * (rng.next() - 0.5) * 2));
    b.push(two);
    c.push(0.01);
    a.push(1 - two - 0.01);
  }
  return { a, b, c };
}

describe('the eigenvalue triangle with an imbalanced class', () => {
  // The vegetation lies wholly inside the floor's range, where the floor still has three times its points.
  const floor = { name: 'floor', ...edgePoints(4000, 0.52, 1, 0.12) };
  const vegetation = { name: 'vegetation', ...edgePoints(450, 0.58, 2, 0.04) };
  const caps = { colors: 0 as const, unicode: true, width: 80, height: 24 };

  it("shows the minority's marker where it is concentrated, the majority's elsewhere", () => {
    const out = renderTernary([floor, vegetation], caps, { mode: 'markers' });
    // Rows of the triangle (its edges are dots), not the legend above it.
    const base = out.split('\n').filter((l) => l.includes('·') && (l.includes('●') || l.includes('✕')));
    const cells = base.join('');
    expect(cells).toContain('✕');
    expect(cells).toContain('●');
    // The vegetation's markers sit to the right (toward 2-D) of the floor's first ones.
    const row = base.find((l) => l.includes('✕'))!;
    expect(row.indexOf('✕')).toBeGreaterThan(row.indexOf('●'));
  });

  it('is unchanged for classes of equal size that do not overlap', () => {
    const left = { name: 'left', ...edgePoints(500, 0.2, 3) };
    const right = { name: 'right', ...edgePoints(500, 0.8, 4) };
    const out = renderTernary([left, right], caps, { mode: 'markers' });
    const row = out.split('\n').find((l) => l.includes('·') && l.includes('●') && l.includes('✕'))!;
    expect(row.lastIndexOf('●')).toBeLessThan(row.indexOf('✕'));
  });
});
