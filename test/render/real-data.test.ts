// The renderers on real files from ../shared/data: a terrestrial lidar dune scan and the MNIST test set.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { renderImage, renderPointCloud } from '../../src/render/index.js';
import { stripAnsi } from '../../src/render/text.js';
import { violation } from './check.js';
import { expectGolden } from '../support/golden.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const data = (p: string): string => path.resolve(root, '../shared/data', p);

/** Reads an ASCII "x y z" file into typed arrays (the project's importer lives elsewhere; this is just enough here). */
function readXyz(file: string): { x: Float64Array; y: Float64Array; z: Float64Array } {
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  const x = new Float64Array(rows.length);
  const y = new Float64Array(rows.length);
  const z = new Float64Array(rows.length);
  rows.forEach((row, i) => {
    const [a, b, c] = row.trim().split(/\s+/).map(Number);
    x[i] = a!;
    y[i] = b!;
    z[i] = c!;
  });
  return { x, y, z };
}

describe('lidar dune scan (40,069 floor + 4,608 vegetation points)', () => {
  const floor = readXyz(data('lidar/dunes-floor.xyz'));
  const veg = readXyz(data('lidar/dunes-vegetation.xyz'));
  const cat = (a: Float64Array, b: Float64Array): Float64Array => {
    const out = new Float64Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  const cloud = {
    x: cat(floor.x, veg.x),
    y: cat(floor.y, veg.y),
    z: cat(floor.z, veg.z),
    labels: Uint8Array.from({ length: floor.x.length + veg.x.length }, (_, i) => (i < floor.x.length ? 0 : 1)),
  };

  it('plan view by class shows both classes with their counts', async () => {
    const caps = { width: 80, height: 24, colors: 0 as const, unicode: true };
    const out = renderPointCloud(cloud, caps, { view: 'top', colorBy: 'label', labelNames: ['sand floor', 'vegetation'], title: 'Dune scan, plan view' });
    expect(violation(out, caps)).toBeNull();
    expect(out).toContain('● sand floor (40069)');
    expect(out).toContain('✕ vegetation (4608)');
    const plot = out.split('\n').slice(3, -3).join('\n');
    expect(plot).toContain('●');
    expect(plot).toContain('✕');
    await expectGolden(out + '\n', import.meta.dirname, '__golden__/real-dune-top-80x24-mono.txt');
  });

  it('side profile by height stays in bounds in every mode', () => {
    for (const caps of [
      { width: 80, height: 24, colors: 256 as const, unicode: true },
      { width: 50, height: 12, colors: 0 as const, unicode: false },
    ]) {
      const out = renderPointCloud(cloud, caps, { view: 'side', colorBy: 'height' });
      expect(violation(out, caps)).toBeNull();
      expect(stripAnsi(out)).toContain('elevation (m)');
    }
  });
});

describe('MNIST test set (IDX)', () => {
  it('draws the first test digit, a 7, recognisably', async () => {
    const images = gunzipSync(readFileSync(data('digits/t10k-images-idx3-ubyte.gz')));
    const labels = gunzipSync(readFileSync(data('digits/t10k-labels-idx1-ubyte.gz')));
    expect(images.readUInt32BE(0)).toBe(2051);
    expect(labels[8]).toBe(7);
    const pixels = images.subarray(16, 16 + 28 * 28);
    const caps = { width: 40, height: 16, colors: 0 as const, unicode: true };
    const out = renderImage({ pixels, width: 28, height: 28 }, caps, { title: `label ${labels[8]}` });
    expect(violation(out, caps)).toBeNull();
    // The 7's top bar: a long run of full blocks in the upper half.
    expect(
      out
        .split('\n')
        .slice(1, 8)
        .some((line) => /[█▀▄]{10,}/.test(line)),
    ).toBe(true);
    await expectGolden(out + '\n', import.meta.dirname, '__golden__/real-mnist-7-40x16-mono.txt');
  });
});
