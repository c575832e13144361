// Lesson regexes: the constructs that backtrack catastrophically are refused, and the linear-time engine agrees
// with JavaScript's RegExp on every pattern it accepts.
import { describe, expect, it } from 'vitest';
import { REGEX_INPUT_LIMIT, regexProblem, safeRegexTest } from '../../src/lessons/regex-safety.js';

describe('regexProblem', () => {
  it.each([
    ['^(a+)+$', 'nested quantifiers'],
    ['(a|a)*$', 'alternation inside a repeated group'],
    ['(\\w+\\s?)*$', 'nested quantifiers'],
    ['(a*)*b', 'nested quantifiers'],
    ['((ab)+c)+', 'nested quantifiers'],
    ['(x|y){2,5}', 'alternation inside a repeated group'],
    ['(a)\\1', 'backreference'],
    ['(?<w>a)\\k<w>', 'backreference'],
    ['a.*b.*c.*d.*e', 'unbounded quantifiers'],
    ['(?=.*a).*b', 'lookaround'],
    ['a{1,1000}', 'repetition count'],
  ])('refuses /%s/ (%s)', (source, why) => {
    const p = regexProblem(source, 'i');
    expect(p).not.toBeNull();
    expect(p).toContain(why.split(' ')[0]);
  });

  it.each([
    'power[- ]?law',
    '(multiplicat|proportion|relative|percent|factor)',
    '(straight|linear).*(log)|log.*(straight|linear)',
    '^\\s*(the )?line\\s*$',
    '\\w{3,}',
    'm(g)?\\/l',
    '^\\s*(better|higher r2|higher r²|r2|r²)\\s*$',
    '(s|es)?',
    'real .*(differ|noise|complex)',
    '\\bage\\b',
    '[a-z]+@[a-z]+\\.[a-z]{2,3}',
    '\\p{L}+',
  ])('accepts /%s/', (source) => {
    expect(regexProblem(source, source.includes('\\p') ? 'iu' : 'i')).toBeNull();
  });
});

describe('safeRegexTest agrees with RegExp', () => {
  const patterns: Array<[string, string]> = [
    ['power[- ]?law', 'i'],
    ['(straight|linear).*(log)|log.*(straight|linear)', 'i'],
    ['^\\s*(the )?line\\s*$', 'i'],
    ['\\w{3,}', 'i'],
    ['\\bage\\b', 'i'],
    ['^(a|b)c?$', ''],
    ['a{2,4}b', ''],
    ['colou?r', 'i'],
    ['[^aeiou]{5}', 'i'],
    ['\\d+(\\.\\d+)?\\s*(hz|s)\\b', 'i'],
    ['^$', ''],
    ['x|', ''],
    ['[]a', ''],
    ['[^]', ''],
    ['\\Bing\\b', ''],
    ['r²', 'i'],
    ['^line$', 'm'],
    ['a.b', 's'],
    ['a.b', ''],
    ['\\p{Lu}\\p{Ll}+', 'u'],
    ['😀+', 'u'],
    ['É', 'i'],
    ['a{,2}', ''],
    ['\\u00e9|\\x41|\\cJ', ''],
  ];
  const texts = [
    '',
    'power law',
    'POWER-LAW',
    'powerlaw',
    'the log makes it straight',
    'straight in log',
    ' the line ',
    'line',
    'age',
    'the average',
    'an age ago',
    'ac',
    'bc',
    'abc',
    'aab',
    'aaaab',
    'color',
    'COLOUR',
    'strng',
    'rhythms',
    '12.5 Hz',
    '3s',
    '3 sx',
    'x',
    'a',
    'singing',
    'r² = 0.9',
    'R²',
    'one\nline\ntwo',
    'a\nb',
    'axb',
    'Émile',
    'émile',
    '😀😀',
    'Été',
    'a{,2}',
    'é',
    'A',
    '\n',
  ];
  it('on every pattern × text pair', () => {
    for (const [source, flags] of patterns) {
      expect(regexProblem(source, flags), source).toBeNull();
      const re = new RegExp(source, flags);
      const native = new RegExp(source, flags.includes('i') ? flags : `${flags}i`);
      for (const t of texts) expect(safeRegexTest(re, t), `/${source}/${flags} on ${JSON.stringify(t)}`).toBe(native.test(t));
    }
  });

  it('on random patterns and texts over a small alphabet', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const atoms = ['a', 'b', '.', '[ab]', '[^a]', '\\s', '\\w', '\\b', '^', '$', '(a|b)', '(?:ab)', '(ba|a)'];
    const quants = ['', '', '', '*', '+', '?', '{2}', '{1,3}', '{2,}'];
    let checked = 0;
    for (let k = 0; k < 400; k++) {
      const parts: string[] = [];
      const len = 1 + rand(5);
      for (let j = 0; j < len; j++) {
        const atom = atoms[rand(atoms.length)]!;
        parts.push(atom + (atom === '\\b' || atom === '^' || atom === '$' ? '' : quants[rand(quants.length)]!));
      }
      const source = rand(4) === 0 ? `${parts.join('')}|${atoms[rand(3)]}` : parts.join('');
      let re: RegExp;
      try {
        re = new RegExp(source, 'i');
      } catch {
        continue;
      }
      if (regexProblem(source, 'i') !== null) continue;
      for (let t = 0; t < 12; t++) {
        const text = Array.from({ length: rand(8) }, () => 'ab A'[rand(4)]).join('');
        expect(safeRegexTest(re, text), `/${source}/ on ${JSON.stringify(text)}`).toBe(re.test(text));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('safeRegexTest is linear', () => {
  it('runs the patterns that freeze a backtracking engine on long answers, reading only the first 2,000 characters', () => {
    // Each would take seconds or longer with RegExp.test on these inputs; the engine reads each character once.
    const cases: Array<[RegExp, string, boolean]> = [
      [/\s*\s*x/, ' '.repeat(5000), false],
      [/a.*b.*x/, 'ab'.repeat(5000), false],
      [/(\w+\s?)*$/, 'a'.repeat(40) + '!', true],
      [/^(a+)+$/, 'a'.repeat(40) + '!', false],
      [/x$/, 'a'.repeat(REGEX_INPUT_LIMIT) + 'x', false],
      [/a{100}$/, 'a'.repeat(REGEX_INPUT_LIMIT - 1) + 'a', true],
    ];
    for (const [re, text, expected] of cases) expect(safeRegexTest(re, text), re.source).toBe(expected);
  });
});
