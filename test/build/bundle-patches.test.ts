// The bundle's edits to dependencies (scripts/bundle-patches.mjs): they still find their text in the installed
// packages, and string-width's cheaper emoji test answers exactly as /^\p{RGI_Emoji}$/v on every code point and on
// every kind of emoji sequence.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
// @ts-expect-error a build script in plain JavaScript, without types
import { PATCHES, RGI_EMOJI_LAZY, patchSource } from '../../scripts/bundle-patches.mjs';

const ROOT = resolve(import.meta.dirname, '../..');

interface Patch {
  file: string;
  find: string;
  replace: string;
  count: number;
}

describe('the bundle patches', () => {
  it('find their text in the installed packages, and replace every occurrence', () => {
    for (const patch of PATCHES as Patch[]) {
      const path = join(ROOT, patch.file);
      const text = readFileSync(path, 'utf8');
      const warnings: string[] = [];
      const patched = patchSource(path, text, (w: string) => warnings.push(w)) as string;
      expect(warnings).toEqual([]);
      expect(patched).not.toBe(text);
      expect(patched.split(patch.find).length - 1).toBe(0);
      expect(patched.length).toBe(text.length + patch.count * (patch.replace.length - patch.find.length));
    }
  });

  it('leave a file alone, with a warning, when its text is not the expected one', () => {
    const patch = (PATCHES as Patch[])[1]!;
    const warnings: string[] = [];
    const text = `// ${patch.find}\n${patch.find}\n`;
    expect(patchSource(`/x/${patch.file}`, text, (w: string) => warnings.push(w))).toBe(text);
    expect(warnings).toHaveLength(1);
    // Another package's file of the same name is not touched.
    expect(patchSource('/x/node_modules/other/index.js', patch.find)).toBe(patch.find);
  });

  it("give string-width's emoji test the answers of /^\\p{RGI_Emoji}$/v", () => {
    const lazy = new Function(`return ${RGI_EMOJI_LAZY};`)() as { test(s: string): boolean; full?: RegExp };
    // Built at run time: the tests' TypeScript target (ES2022) has no v flag for a literal.
    const pattern = '^\\p{RGI_Emoji}$';
    const full = new RegExp(pattern, 'v');
    const candidates: string[] = [];
    const modifiers = ['\u{1F3FB}', '\u{1F3FC}', '\u{1F3FD}', '\u{1F3FE}', '\u{1F3FF}'];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      candidates.push(c);
      // Presentation selectors, keycaps and skin tones on every character that has an emoji property.
      if (/\p{Emoji}|\p{Emoji_Component}/u.test(c)) {
        candidates.push(`${c}\uFE0F`, `${c}\uFE0E`, `${c}\uFE0F\u20E3`, `${c}\u20E3`);
        for (const m of modifiers) candidates.push(`${c}${m}`);
      }
    }
    // Flags (every pair of regional indicators), tag sequences, ZWJ sequences.
    for (let a = 0x1f1e6; a <= 0x1f1ff; a++) for (let b = 0x1f1e6; b <= 0x1f1ff; b++) candidates.push(String.fromCodePoint(a, b));
    const tag = (s: string) => `\u{1F3F4}${[...s].map((ch) => String.fromCodePoint(0xe0000 + ch.charCodeAt(0))).join('')}\u{E007F}`;
    candidates.push(tag('gbeng'), tag('gbsct'), tag('gbwls'), tag('usca'));
    const people = ['\u{1F468}', '\u{1F469}', '\u{1F9D1}', '\u{1F467}', '\u{1F466}'];
    for (const a of people) for (const b of people) candidates.push(`${a}\u200D${b}`, `${a}\u200D${b}\u200D\u{1F467}`);
    candidates.push(
      '\u{1F3F3}\uFE0F\u200D\u{1F308}',
      '\u2764\uFE0F\u200D\u{1F525}',
      '\u{1F9D1}\u{1F3FD}\u200D\u{1F4BB}',
      '\u{1F441}\uFE0F\u200D\u{1F5E8}\uFE0F',
    );
    // Text the tutor draws: box drawing, arrows, bullets, accents, CJK.
    candidates.push('░', '▓', '·', '↑', '↓', '→', '✓', '✗', 'é', 'ü', '漢', 'a\u0301');

    let matches = 0;
    for (const s of candidates) {
      const want = full.test(s);
      if (want) matches++;
      if (lazy.test(s) !== want) expect.fail(`differs on ${JSON.stringify(s)}: RGI_Emoji says ${want}`);
    }
    // The candidates really hold emoji of every kind (Unicode 15 has about 3,700 RGI emoji).
    expect(matches).toBeGreaterThan(2000);
    expect(full.test('\u{1F1EB}\u{1F1F7}') && full.test(tag('gbsct')) && full.test('#\uFE0F\u20E3')).toBe(true);
  });

  it('never build the full emoji pattern for text without emoji', () => {
    const lazy = new Function(`return ${RGI_EMOJI_LAZY};`)() as { test(s: string): boolean; full?: RegExp };
    for (const s of ['░', '·', '↑', 'é', '漢', '1', '#']) expect(lazy.test(s)).toBe(false);
    expect(lazy.full).toBeUndefined();
    expect(lazy.test('\u{1F600}')).toBe(true);
    expect(lazy.full).toBeInstanceOf(RegExp);
  });
});
