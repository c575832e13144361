// Property tests: at every size, in every mode, no renderer writes wider or taller than it is given, and NO_COLOR and ASCII hold.
import { describe, expect, it } from 'vitest';
import type { RenderCaps } from '../../src/render/caps.js';
import { demoFigures } from '../../src/render/demo.js';
import { displayWidth } from '../../src/render/text.js';
import { violation } from './check.js';

const sizes: Array<[number, number]> = [
  [1, 1],
  [10, 3],
  [12, 4],
  [15, 5],
  [20, 6],
  [27, 8],
  [33, 9],
  [40, 12],
  [57, 17],
  [64, 10],
  [80, 24],
  [97, 31],
  [200, 60],
];
const modes: Array<Omit<RenderCaps, 'width' | 'height'>> = [
  { colors: 0, unicode: false },
  { colors: 0, unicode: true },
  { colors: 16, unicode: true },
  { colors: 256, unicode: true },
  { colors: 'truecolor', unicode: false },
];

describe('the checker itself', () => {
  it('catches each kind of violation', () => {
    const caps: RenderCaps = { width: 5, height: 2, colors: 0, unicode: false };
    expect(violation('abcde\nfghij', caps)).toBeNull();
    expect(violation('abcdef', caps)).toMatch(/wide/);
    expect(violation('a\nb\nc', caps)).toMatch(/height/);
    expect(violation('\x1b[1ma\x1b[0m', caps)).toMatch(/escape/);
    expect(violation('λ', caps)).toMatch(/non-ASCII/);
    expect(violation('\x1b[31ma', { ...caps, colors: 16 })).toMatch(/open/);
    expect(violation('\x1b[31ma\x1b[0mb\x1b[1m', { ...caps, colors: 16 })).toMatch(/open/);
    expect(violation('\x1b[31ma\x1b[0mb', { ...caps, colors: 16 })).toBeNull();
    // Escapes take no columns.
    expect(violation('\x1b[31mabcde\x1b[0m', { ...caps, colors: 16 })).toBeNull();
  });
});

describe('renderers stay within the space they are given', () => {
  for (const figure of demoFigures()) {
    it(`${figure.id} fits every size and mode`, () => {
      const problems: string[] = [];
      for (const [width, height] of sizes) {
        for (const mode of modes) {
          const caps = { ...mode, width, height };
          const problem = violation(figure.render(caps), caps);
          if (problem) problems.push(`${width}x${height} colors=${mode.colors} unicode=${mode.unicode}: ${problem}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('a wide-enough plot uses most of the width it is given', () => {
    // The other half of the contract: staying inside the box must not mean drawing a postage stamp.
    for (const figure of demoFigures()) {
      if (figure.id === 'image' || figure.id === 'ternary' || figure.id === 'pointcloud-top') continue;
      const out = figure.render({ width: 100, height: 30, colors: 0, unicode: true });
      const widest = Math.max(...out.split('\n').map(displayWidth));
      expect(widest, figure.id).toBeGreaterThan(70);
    }
  });
});
