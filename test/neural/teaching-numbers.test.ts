// The numbers the neural lesson teaches are the ones the code uses: the label width PhaseNet trained with, the CNN
// parameter counts of the default and of the smaller shape the text works out, and every CNN shape the step offers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLesson } from '../../src/lessons/parse.js';
import type { ExperimentStep } from '../../src/lessons/types.js';
import { LABEL_SIGMA_S } from '../../src/seismology/phasenet/window.js';
import { cnnParams, DEFAULT_CNN, parseCnnArch } from '../../src/nn/cnn-arch.js';

const text = readFileSync(new URL('../../lessons/05-neural.md', import.meta.url), 'utf8');
const lesson = parseLesson(text, 'lessons/05-neural.md').lesson!;

describe('the neural lesson’s numbers', () => {
  it('gives the label Gaussian the width the label code (and so the shipped weights) use', () => {
    const m = /σ = (\d+(?:\.\d+)?) s \((\d+) samples\) wide/.exec(text);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(LABEL_SIGMA_S);
    expect(Number(m![2])).toBe(LABEL_SIGMA_S * 100);
    // PhaseNet's own code: σ = label_width / 5 samples over a 30-sample window, at 100 Hz.
    expect(text).toMatch(/labels a 30-sample \(0\.3 s\) window with\s+σ = 6 samples \(0\.06 s\)/);
  });
  it('counts the default CNN and the 4,8 shape as the code does', () => {
    expect(cnnParams(DEFAULT_CNN)).toBe(5258);
    expect(text).toMatch(/= 80 \+ 1,168 \+ 4,010 = 5,258/);
    const small = /With `filters=4,8`:\s+4·10 \+ 8·\(9·4\+1\) \+ \(5·5·8\)·10 \+ 10 = 40 \+ 296 \+ 2,010 = ([\d,]+)\./.exec(text);
    expect(small).not.toBeNull();
    expect(Number(small![1]!.replace(/,/g, ''))).toBe(cnnParams({ filters: [4, 8], pool: [2, 2] }));
  });
  it('offers only CNN shapes eds can build, the default among them', () => {
    const cnn = lesson.steps.find((s): s is ExperimentStep => s.kind === 'experiment' && s.id === 'cnn')!;
    expect(cnn.defaults).toMatchObject({ filters: '8,16', pool: '2' });
    for (const filters of cnn.choices.filters!) {
      for (const pool of cnn.choices.pool!) {
        const parsed = parseCnnArch(filters, pool);
        expect(parsed, `${filters}/${pool}`).toHaveProperty('arch');
        if ('arch' in parsed) expect(cnnParams(parsed.arch)).toBeGreaterThan(0);
      }
    }
    expect(cnn.choices.filters).toContain('4,8');
  });
});
