// Golden files: every demo plot at 80×24 and 120×40, in colour (256, Unicode), mono Unicode (NO_COLOR) and plain ASCII.
import { describe, it } from 'vitest';
import type { RenderCaps } from '../../src/render/caps.js';
import { demoFigures } from '../../src/render/demo.js';
import { expectGolden } from '../support/golden.js';

const modes: Record<string, Omit<RenderCaps, 'width' | 'height'>> = {
  color: { colors: 256, unicode: true },
  mono: { colors: 0, unicode: true },
  ascii: { colors: 0, unicode: false },
};
const sizes: Array<[number, number]> = [
  [80, 24],
  [120, 40],
];

describe('demo plots match their golden files', () => {
  const figures = demoFigures();
  for (const figure of figures) {
    for (const [width, height] of sizes) {
      for (const [mode, caps] of Object.entries(modes)) {
        // Mono at the large size adds little over mono at 80×24.
        if (mode === 'mono' && width !== 80) continue;
        it(`${figure.id} ${width}x${height} ${mode}`, async () => {
          const out = figure.render({ ...caps, width, height });
          await expectGolden(out + '\n', import.meta.dirname, `__golden__/${figure.id}-${width}x${height}-${mode}.txt`);
        });
      }
    }
  }
});
