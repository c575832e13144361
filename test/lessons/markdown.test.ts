// Lesson Markdown in the terminal: never wider than the screen, 7-bit when asked, unstyled without colour.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayWidth, parseLesson, plainLesson, renderMarkdown, toAscii } from '../../src/lessons/index.js';
import type { RenderCaps } from '../../src/render/caps.js';

const caps = (width: number, colors: RenderCaps['colors'] = 0, unicode = true): RenderCaps => ({ width, height: 24, colors, unicode });

const SAMPLE = `# Suspended sediment — a *power law*

Lab samples of **suspended sediment concentration** (SSC, mg/L) are expensive; a turbidity
probe records every 5 minutes at 12 °C ± 0.5… Compare \`rmse_test\` with \`rmse_train\`, see
https://example.org/a/very/long/path/that/cannot/be/broken/anywhere/at/all/because/it/has/no/spaces and [the card](../datasets/river/README.md).
Wide text: 沉积物浓度测量 and an emoji 🌊 and e\u0301 combined.

## Steps

1. Fit a line; look at the residuals, which fan out as the load grows larger and larger.
2. Fit in log–log axes:
   - slope *b* ≈ 1.2
   - intercept σ-weighted
10. Compare on a split by time.

> A random split of autocorrelated samples **flatters** the model; a split by time does not.

\`\`\`
ssc = a * turbidity ** b   # a very long line of code that certainly does not fit in a narrow terminal
\tindented
\`\`\`

| model | rmse |
|-------|------|
| linear | 12.5 |

---

<!-- an instructor's note -->
Last paragraph.`;

const ALL_CAPS: Array<[RenderCaps['colors'], boolean]> = [
  [0, true],
  [0, false],
  [16, true],
  [256, false],
  ['truecolor', true],
];

describe('width', () => {
  it('no line is wider than the screen, at every width from 1 to 120', () => {
    for (const [colors, unicode] of ALL_CAPS) {
      for (let w = 1; w <= 120; w++) {
        for (const line of renderMarkdown(SAMPLE, caps(w, colors, unicode))) {
          if (displayWidth(line) > w)
            throw new Error(`width ${w} (colors ${colors}, unicode ${unicode}): ${JSON.stringify(line)} is ${displayWidth(line)} wide`);
        }
      }
    }
  });
  it('keeps every word of a paragraph, in order', () => {
    const words = (s: string): string[] => s.split(/\s+/).filter((w) => w !== '');
    const text = 'one two three four five six seven eight nine ten eleven twelve';
    for (const w of [6, 9, 14, 30, 80]) expect(words(renderMarkdown(text, caps(w)).join(' '))).toEqual(words(text));
    // A word longer than the line is cut, not dropped.
    expect(renderMarkdown('ab abcdefghij', caps(4))).toEqual(['ab', 'abcd', 'efgh', 'ij']);
  });
  it('measures wide and combining characters', () => {
    expect(displayWidth('沉积')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('🌊')).toBe(2);
    expect(displayWidth('\x1b[1mbold\x1b[22m')).toBe(4);
  });
});

describe('ASCII mode', () => {
  it('contains no byte above 127, at any width and colour depth', () => {
    for (const colors of [0, 16, 'truecolor'] as const) {
      for (const w of [1, 7, 20, 33, 80]) {
        const out = renderMarkdown(SAMPLE, caps(w, colors, false)).join('\n');
        expect(Buffer.from(out, 'utf8').every((b) => b <= 127)).toBe(true);
      }
    }
  });
  it('spells typographic and scientific characters in ASCII', () => {
    expect(toAscii('a — b – c… “q” • 12 °C ± 0.5 ≤ σ² µm é')).toBe('a -- b - c... "q" * 12  degC +/- 0.5 <= sigma^2 um e');
    expect(toAscii('沉')).toBe('?');
    const out = renderMarkdown('- item — with a dash', caps(40, 0, false));
    expect(out).toEqual(['* item -- with a dash']);
  });
});

describe('styles', () => {
  it('no escape sequences without colour; markers become plain words, code keeps backticks', () => {
    const out = renderMarkdown(SAMPLE, caps(80, 0));
    expect(out.join('\n')).not.toContain('\x1b');
    expect(renderMarkdown('a *b* **c** `d`', caps(80, 0))).toEqual(['a b c `d`']);
  });
  it('bold, italic, code and headings with colour; every line closes its styles', () => {
    const out = renderMarkdown('# Title\n\na *b* **c** `d`', caps(80, 16));
    expect(out).toEqual(['\x1b[1;4mTitle\x1b[22;24m', '', 'a \x1b[3mb\x1b[23m \x1b[1mc\x1b[22m \x1b[36md\x1b[39m']);
    for (const line of renderMarkdown(SAMPLE, caps(37, 256))) {
      const opens = (line.match(/\x1b\[[0-9;]*m/g) ?? []).length;
      expect(opens % 2).toBe(0);
    }
  });
  it('snake_case result keys are never emphasis', () => {
    expect(renderMarkdown('compare rmse_test and rmse_train', caps(80, 16))).toEqual(['compare rmse_test and rmse_train']);
    expect(renderMarkdown('an _emphasised_ word', caps(80, 16))).toEqual(['an \x1b[3memphasised\x1b[23m word']);
  });
  it('headings are underlined with = and - without colour', () => {
    expect(renderMarkdown('# Big\n\n## Small\n\n### Tiny', caps(80))).toEqual(['Big', '===', '', 'Small', '-----', '', 'Tiny']);
  });
});

describe('blocks', () => {
  it('lists wrap with a hanging indent and keep their numbers', () => {
    expect(renderMarkdown('- alpha beta gamma delta\n- two', caps(14))).toEqual(['• alpha beta', '  gamma delta', '• two']);
    expect(renderMarkdown('1. first\n2. second\n   - nested', caps(40))).toEqual(['1. first', '2. second', '  • nested']);
  });
  it('code blocks are indented and keep their lines; a long line is broken with a marker, nothing lost', () => {
    expect(renderMarkdown('```\na = 1\nb = 2\n```', caps(40))).toEqual(['  a = 1', '  b = 2']);
    const out = renderMarkdown('```\nabcdefghijklmnopqrstuvwxyz\n```', caps(12));
    expect(out).toEqual(['  abcdefghij', '  ↪klmnopqrs', '  ↪tuvwxyz']);
    expect(out.join('').replace(/[ ↪]/g, '')).toBe('abcdefghijklmnopqrstuvwxyz');
    expect(renderMarkdown('```\nx\n\ty\n```', caps(40))).toEqual(['  x', '      y']);
  });
  it('quotes, rules, links, comments and hard breaks', () => {
    expect(renderMarkdown('> quoted text here', caps(40))).toEqual(['│ quoted text here']);
    expect(renderMarkdown('> quoted', caps(40, 0, false))).toEqual(['| quoted']);
    expect(renderMarkdown('---', caps(5))).toEqual(['─────']);
    expect(renderMarkdown('[the card](x.md) and <https://a.org>', caps(80))).toEqual(['the card (x.md) and https://a.org']);
    expect(renderMarkdown('a <!-- hidden --> b\n\n<!--\nmore\n-->\nc', caps(80))).toEqual(['a b', '', 'c']);
    expect(renderMarkdown('line one  \nline two', caps(80))).toEqual(['line one', 'line two']);
  });
  it('strips control characters a lesson file might hold', () => {
    expect(renderMarkdown('bad \x1b[31mred\x07', caps(80)).join('')).toBe('bad [31mred');
  });
});

describe('plain lesson', () => {
  const fixture = join(import.meta.dirname, 'fixtures', '01-example.md');
  const lesson = parseLesson(readFileSync(fixture, 'utf8'), fixture).lesson!;
  it('prints pages, experiments as commands and questions with lettered choices, within the width', () => {
    const text = plainLesson(lesson, 60);
    expect(text).not.toContain('\x1b');
    for (const line of text.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(60);
    expect(text.replace(/\s+/g, ' ')).toContain('`eds run regression --dataset river --model linear --split random`');
    expect(text).toContain('A) Random splits are always biased');
    expect(text).toContain('B) Neighbouring samples are nearly identical');
    expect(text).not.toContain('[x]');
    expect(text).not.toContain('Not always: only when'); // feedback is for after an answer
    expect(text.split('\n').slice(0, 2)).toEqual(['Cheap sensors, expensive samples', '================================']);
  });
  it('can be ASCII only', () => {
    expect(Buffer.from(plainLesson(lesson, 50, { unicode: false })).every((b) => b <= 127)).toBe(true);
  });
});

describe('the plain lesson commands', () => {
  it('spell every option as a command-line flag that eds run accepts for its task', async () => {
    const { loadLessons } = await import('../../src/lessons/index.js');
    const { checkTaskOptions } = await import('../../src/tasks/index.js');
    const { lessons } = loadLessons();
    let commands = 0;
    for (const lesson of lessons) {
      // Wide enough that no command wraps.
      const text = plainLesson(lesson, 2000);
      for (const [, task, rest] of text.matchAll(/`eds run (\S+)((?: --\S+ [^\s`]+)*)`/g)) {
        const flags = [...rest!.matchAll(/--(\S+) ([^\s`]+)/g)].map(([, k, v]) => [k!, v!] as const);
        for (const [k] of flags) expect(k, `${lesson.id}: --${k}`).toMatch(/^[a-zA-Z]+(-[a-z0-9]+)*$/);
        expect(() => checkTaskOptions(task!, Object.fromEntries(flags), 'cli'), `${lesson.id}: eds run ${task}${rest}`).not.toThrow();
        commands++;
      }
    }
    expect(commands).toBeGreaterThan(20);
  });
});
