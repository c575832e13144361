// One copy of each numeric helper: pearson, quantile, median and rounding live in src/util/stats.ts, the
// missing-value codes in src/data/missing.ts. Copies drifted apart before (a pearson that said 0 where the other
// said NaN, three quantiles, four medians, three code lists); this test reads the source text and fails on a new one.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const STATS = 'src/util/stats.ts';
const MISSING = 'src/data/missing.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The text without comments, so a doc comment that names a helper is no definition. Strings stay. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Names of statistics that must have one definition. */
const STAT_NAMES =
  /^(pearson|correlation|corrcoef|quantile|quantileSorted|percentile|median|nanmedian|nanquantile|round|round\d+|roundTo|roundSig\w*|roundDecimals)$/;

/** A definition: `function NAME(`, `const NAME = (…) =>`, `const NAME = function`, or a class method `NAME(…) {`. */
const DEFINITION =
  /(?:\bfunction\s+([A-Za-z_$][\w$]*)\s*[<(])|(?:\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s*)?(?:function\b|\([^)]*\)\s*(?::\s*[^=]+)?=>|[A-Za-z_$][\w$]*\s*=>))/g;

/**
 * A helper whose value is a number rounded by hand, `Math.round(x * f) / f`, `Number(x.toFixed(n))` or
 * `Number(x.toPrecision(n))`, perhaps behind a finiteness check. A formatter that returns text is no rounding helper.
 */
const ROUNDED_VALUE =
  /^\(?\s*(?:Number\.isFinite\([^)]*\)\s*\?\s*)?(?:Math\.round\([^()]*\*\s*[\w.*]+\s*\)\s*\/\s*[\w.]+|Number\(\s*[\w.!]+\.to(?:Fixed|Precision)\([^)]*\)\))\s*(?:[:;)]|$)/;

/** An array literal holding a missing-value code: a quoted NA/NAN/-30000/1e+10, or the number -30000. */
const MISSING_LIST = /\[[^\][]*?(?:(['"])(?:NA|N\/A|NAN|NaN|nan|-30000(?:\.0)?|1e\+10)\1|-30000\b)[^\][]*\]/;

interface Found {
  file: string;
  line: number;
  what: string;
}

/** Every helper definition and code list in `text` (of `file`), with the line it starts on. */
function scan(file: string, text: string): Found[] {
  const code = stripComments(text);
  const lineOf = (at: number) => code.slice(0, at).split('\n').length;
  const found: Found[] = [];
  for (const m of code.matchAll(DEFINITION)) {
    const name = m[1] ?? m[2]!;
    const at = m.index!;
    // What it returns: the expression after `=>` on its line, or a `return` in the next few lines of a block body.
    const lines = code.slice(at + m[0].length, at + m[0].length + 400).split('\n');
    const arrow = /=>\s*$/.test(m[0]) ? lines[0]!.trim() : '';
    const returns = lines.slice(0, 5).flatMap((l) => /^\s*return\s+(.*)$/.exec(l)?.[1] ?? []);
    if (STAT_NAMES.test(name)) found.push({ file, line: lineOf(at), what: `defines ${name}` });
    else if ([arrow, ...returns].some((e) => ROUNDED_VALUE.test(e))) found.push({ file, line: lineOf(at), what: `${name} rounds by hand` });
  }
  for (const m of code.matchAll(new RegExp(MISSING_LIST.source, 'g')))
    found.push({ file, line: lineOf(m.index!), what: `missing-value codes ${m[0].slice(0, 60)}` });
  return found;
}

const files = sourceFiles(join(ROOT, 'src')).map((path) => ({ file: relative(ROOT, path), text: readFileSync(path, 'utf8') }));
const all = files.flatMap(({ file, text }) => scan(file, text));

describe('numeric helpers are defined once', () => {
  it('finds the one copy of each (so the scan is looking at the right thing)', () => {
    const stats = all.filter((f) => f.file === STATS).map((f) => f.what);
    for (const name of ['pearson', 'quantile', 'median', 'round', 'roundTo']) expect(stats).toContain(`defines ${name}`);
    expect(all.some((f) => f.file === MISSING && f.what.startsWith('missing-value codes'))).toBe(true);
  });

  it('defines pearson, quantile, median and rounding only in src/util/stats.ts', () => {
    const elsewhere = all.filter((f) => f.file !== STATS && !f.what.startsWith('missing-value codes')).map((f) => `${f.file}:${f.line}: ${f.what}`);
    expect(elsewhere, 'import it from src/util/stats.ts instead').toEqual([]);
  });

  it('lists missing-value codes only in src/data/missing.ts', () => {
    const elsewhere = all.filter((f) => f.file !== MISSING && f.what.startsWith('missing-value codes')).map((f) => `${f.file}:${f.line}: ${f.what}`);
    expect(elsewhere, 'import the list from src/data/missing.ts instead').toEqual([]);
  });

  it('catches each kind of copy', () => {
    const copies = [
      'export function median(xs: number[]): number {\n  return 0;\n}',
      'const quantile = (x: number[], q: number) => x[0]!;',
      'const r4 = (x: number): number => Number(x.toFixed(4));',
      'function tidy(v: number): number {\n  const f = 10 ** 3;\n  return Math.round(v * f) / f;\n}',
      "export const CODES = ['', 'NA', '-30000'];",
      'const SENTINELS = [-30000, 1e10];',
    ];
    for (const text of copies) expect(scan('src/x.ts', text), text).toHaveLength(1);
    // What is no copy: a call, a comment, a formatted string.
    expect(scan('src/x.ts', '// function median(x) {}\nconst m = median(xs);\nconst s = v.toFixed(2);\nconst w = Math.round(v);')).toEqual([]);
  });
});
