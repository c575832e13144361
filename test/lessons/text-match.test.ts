// Free-text grading tested like a classifier: for real questions of the shipped lessons, right answers in other
// words must pass, and wrong ideas, negations, keyword stuffing, typos of the wrong word and nonsense must not.
import { describe, expect, it } from 'vitest';
import { gradeAnswer, parseLesson } from '../../src/lessons/index.js';
import type { GradeContext, QuestionStep } from '../../src/lessons/index.js';
import { contentWords, noContent, parseMatch, parseSynonyms, ruleMatches, tokenize, withinOneEdit, wordMatches } from '../../src/lessons/text-match.js';

const ctx: GradeContext = { results: {}, attempt: 1 };

/** Parses one question block; the lesson must have no problems. */
function question(block: string): QuestionStep {
  const text = `---\nid: t\nsession: 1\ntitle: T\nsummary: S.\n---\n${block}\n`;
  const { lesson, problems } = parseLesson(text, 't.md');
  expect(problems.map((p) => `${p.line}: ${p.message}`)).toEqual([]);
  return lesson!.steps[0] as QuestionStep;
}

/** A text question with its fields (one per line) and five accept/refuse examples the check runs. */
function textQuestion(fields: string[], examples: { accept: string[]; refuse: string[] }): QuestionStep {
  const lines = [
    ':::question q',
    'type: text',
    ...fields,
    ...examples.accept.map((a) => `accept: ${a}`),
    ...examples.refuse.map((r) => `refuse: ${r}`),
    '',
    'Why?',
    ':::',
  ];
  return question(lines.join('\n'));
}

const words = (s: string): string[] => tokenize(s).map((t) => t.word);
const rule = (s: string) => {
  const r = parseMatch(s);
  if (typeof r === 'string') throw new Error(r);
  return r;
};
const matches = (expr: string, answer: string): boolean => ruleMatches(tokenize(answer), rule(expr));

describe('tokenizer', () => {
  it('splits on anything not a letter or digit, lower-cases, removes accents, unfolds superscripts', () => {
    expect(words('A Power-law, in log–log axes: R² = 0.92!')).toEqual(['a', 'power', 'law', 'in', 'log', 'log', 'axes', 'r2', '0.92']);
    expect(words('Café naïve ÉCHELLE')).toEqual(['cafe', 'naive', 'echelle']);
    expect(words("the model's error, 0,5 m")).toEqual(['the', 'model', 's', 'error', '0.5', 'm']);
  });
  it('keeps negations with an apostrophe as one word', () => {
    expect(words("it doesn't, it isn’t, can't")).toEqual(['it', "doesn't", 'it', "isn't", "can't"]);
  });
  it('marks the two words after a negator as negated (not counting small words), within the clause', () => {
    const marks = (s: string): string =>
      tokenize(s)
        .map((t) => (t.negated ? `!${t.word}` : t.word))
        .join(' ');
    expect(marks('it is not a power law')).toBe('it is not !a !power !law');
    expect(marks('not because of the power law')).toBe('not !because !of !the !power !law');
    expect(marks('not really a clear case of a power law')).toBe('not !really !a !clear !case of a power law');
    expect(marks('it was not trained on simulations')).toBe('it was not !trained !on !simulations');
    // A verb and its object: the object is named, not denied.
    expect(marks('we should not use information from the test set')).toBe('we should not !use !information from the test set');
    expect(marks('no leakage and the spread is constant')).toBe('no !leakage and the spread is constant');
    expect(marks('not the spread, but the power law')).toBe('not !the !spread but the power law');
    expect(marks('no. power law')).toBe('no power law');
    expect(marks('not only the power law')).toBe('not only the power law');
    expect(marks('a random split rather than time blocks')).toBe('a random split rather than !time !blocks');
    expect(marks("it's non-linear")).toBe('it s non !linear');
    expect(marks("the test set isn't seen")).toBe("the test set isn't !seen");
    expect(marks('it is not "floor"')).toBe('it is not !floor');
    expect(marks('dont use the test set')).toBe('dont !use !the !test set');
    // `no` and `without` negate the word they open; `no` before a pronoun is an interjection.
    expect(marks('so no feature is favoured in the distance')).toBe('so no !feature is favoured in the distance');
    expect(marks("no it's outside because of the saturation")).toBe('no it s outside because of the saturation');
    expect(marks('without scaling features')).toBe('without !scaling features');
  });
});

describe('a negation stops at a subordinate clause', () => {
  const marks = (s: string): string =>
    tokenize(s)
      .map((t) => (t.negated ? `!${t.word}` : t.word))
      .join(' ');
  it('that, which, if, when, since, because, … end it once it has negated a word: the head verb is negated', () => {
    expect(marks('we cannot say that the bias is small')).toBe('we cannot !say that the bias is small');
    expect(marks('it is not reliable if the flood is big')).toBe('it is not !reliable if the flood is big');
    expect(marks('it is not a problem if the flood is big')).toBe('it is not !a !problem if the flood is big');
    expect(marks('not reliable because the flood is big')).toBe('not !reliable because the flood is big');
    expect(marks('the bootstrap is not reliable because of drift')).toBe('the bootstrap is not !reliable because of drift');
    expect(marks('the model does not overfit when the data is shuffled')).toBe('the model does not !overfit when the data is shuffled');
    expect(marks('it does not work since the probe drifts')).toBe('it does not !work since the probe drifts');
    expect(marks('resampling cannot show which errors are systematic')).toBe('resampling cannot !show which errors are systematic');
    expect(marks('it is not fine unless the probe is clean')).toBe('it is not !fine unless the probe is clean');
  });
  it('right after the negator, the subordinate clause is what is negated', () => {
    expect(marks('not because of the power law')).toBe('not !because !of !the !power !law');
    expect(marks('it is not that big')).toBe('it is not !that !big');
    expect(marks('not that the bias matters')).toBe('not !that !the !bias !matters');
    expect(marks('not so different from real data')).toBe('not !so !different from real data');
  });
  it('grades the subordinate clause as said', () => {
    expect(matches('bias', 'we cannot say that the bias is small')).toBe(true);
    expect(matches('reliab*', 'it is not reliable if the flood is big')).toBe(false);
    expect(matches('reliab* + flood*', 'it is not reliable if the flood is big')).toBe(false);
    expect(matches('flood*', 'it is not reliable if the flood is big')).toBe(true);
    const q = textQuestion(
      [
        'match: (bias* | drift* | systemat*) + (interval* | bootstrap* | resampl*)',
        'answer: The bootstrap resamples random errors only: a drift or bias of the probe is outside the interval.',
      ],
      {
        accept: [
          'the bootstrap is not reliable because of drift',
          'resampling cannot show that a bias exists',
          'the resampled intervals ignore the systematic error',
          'a probe drift stays outside the bootstrap interval',
          'the interval misses the bias',
        ],
        refuse: [
          'the bootstrap interval is fine, there is no bias',
          'not because of drift, the bootstrap is just unlucky',
          'the interval is not biased if the probe is clean',
          'the weather was nice that day',
          'interval bootstrap random noise only',
        ],
      },
    );
    expect(gradeAnswer(q, 'the interval cannot be trusted when the probe drifts', ctx).correct).toBe(true);
    expect(gradeAnswer(q, 'the interval is not correct since the probe is biased', ctx).correct).toBe(true);
    expect(gradeAnswer(q, 'the bootstrap has no bias since it resamples the errors', ctx).correct).toBe(false);
  });
});

describe('a negated include, cover, capture, see, … names its object as missing', () => {
  const marks = (s: string): string =>
    tokenize(s)
      .map((t) => (t.absent ? `?${t.word}` : t.negated ? `!${t.word}` : t.word))
      .join(' ');
  it('marks the object as missing (and negated); the verb is negated', () => {
    expect(marks("it doesn't include the drift")).toBe("it doesn't !include ?the ?drift");
    expect(marks('the bootstrap cannot capture a drift')).toBe('the bootstrap cannot !capture ?a ?drift');
    expect(marks("accuracy doesn't account for class imbalance")).toBe("accuracy doesn't !account ?for ?class imbalance");
    expect(marks('it does not take the drift into account')).toBe('it does not !take ?the ?drift into account');
    expect(marks('it never saw real seismograms')).toBe('it never !saw ?real seismograms');
    expect(marks('the interval does not cover saturation')).toBe('the interval does not !cover ?saturation');
    // Other verbs, and a negated noun, are as before.
    expect(marks('it does not take long')).toBe('it does not !take !long');
    expect(marks('we should not use information from the test set')).toBe('we should not !use !information from the test set');
    expect(marks('no drift is included')).toBe('no !drift is included');
  });
  it('?term counts a word not negated or named as missing; a plain term only the first', () => {
    expect(matches('?drift', "it doesn't include the drift")).toBe(true);
    expect(matches('?drift', 'the probe drift')).toBe(true);
    expect(matches('?drift', 'there is no drift')).toBe(false);
    expect(matches('?drift', 'not because of the drift')).toBe(false);
    expect(matches('?(bias | drift)', 'resampling does not see a drift')).toBe(true);
    expect(matches('?imbalanc*', "accuracy doesn't take the imbalance into account")).toBe(true);
    // "the folds do not include the same flood" denies the same flood: a plain term is not satisfied.
    expect(matches('same flood*', 'the shuffled folds do not include the same flood')).toBe(false);
    expect(matches('drift', "it doesn't include the drift")).toBe(false);
    expect(matches('!drift', "it doesn't include the drift")).toBe(true);
    expect(matches('~drift', "it doesn't include the drift")).toBe(true);
    expect(matches('synthetic | !real', 'it never saw real seismograms')).toBe(true);
    expect(typeof parseMatch('?')).toBe('string');
    expect(typeof parseMatch('?!drift')).toBe('string');
    expect(typeof parseMatch('dri?ft')).toBe('string');
  });
  it('grades "the bootstrap does not include the drift" as naming the drift where the question says ?term', () => {
    const q = textQuestion(
      [
        'match: ?(bias* | drift* | saturat*) + (interval* | bootstrap* | resampl*)',
        'answer: The bootstrap resamples random errors only: a drift or bias of the probe is outside the interval.',
      ],
      {
        accept: [
          "the bootstrap doesn't include the drift",
          'the interval cannot capture the saturation of the probe',
          'the bootstrap does not take the probe drift into account',
          'the interval does not cover a bias of the sensor',
          'a drifting probe biases the flux outside the interval',
        ],
        refuse: [
          'there is no bias in the bootstrap',
          'not because of drift: the interval is just unlucky',
          'the interval is not biased',
          'the interval includes every error',
          'bootstrap interval random noise only',
        ],
      },
    );
    expect(gradeAnswer(q, "the resampling doesn't consider the drift of the probe", ctx).correct).toBe(true);
    expect(gradeAnswer(q, 'the interval does not handle the saturation in floods', ctx).correct).toBe(true);
    expect(gradeAnswer(q, 'the bootstrap never knew about the bias', ctx).correct).toBe(true);
    expect(gradeAnswer(q, 'the bootstrap has no drift', ctx).correct).toBe(false);
  });
});

describe('a .. b: in this order, within one clause part', () => {
  it('cuts clauses into parts before and, or, because, so, while, …, not before when or if', () => {
    const parts = (s: string): string => {
      const t = tokenize(s);
      return t.map((x, i) => (i > 0 && x.part !== t[i - 1]!.part ? `| ${x.word}` : x.word)).join(' ');
    };
    expect(parts('impurity importance is computed on the test set and permutation on train')).toBe(
      'impurity importance is computed on the test set | and permutation on train',
    );
    expect(parts('log is used because the relation is linear, in log space')).toBe('log is used | because the relation is linear | in log space');
    expect(parts('it is linear so we fit a line while the spread is constant')).toBe('it is linear | so we fit a line | while the spread is constant');
    expect(parts('impurity is computed when fitting if the forest is big')).toBe('impurity is computed when fitting if the forest is big');
  });
  it('is satisfied by the steps in order, in one part; not swapped, not across parts', () => {
    expect(matches('impurity .. train*', 'impurity importance is computed on the training events')).toBe(true);
    expect(matches('impurity .. train*', 'impurity importance is computed on the test set and permutation on train')).toBe(false);
    expect(matches('permut* .. test*', 'impurity importance is computed on the test set and permutation on train')).toBe(false);
    expect(matches('permut* .. test*', 'the test set is what permutation uses')).toBe(false);
    expect(matches('impurity .. train* + permut* .. test*', 'impurity is computed on train and permutation on test')).toBe(true);
    expect(matches('impurity .. train* + permut* .. test*', 'impurity on the test events, permutation on the training events')).toBe(false);
    expect(matches('linear .. log*', 'the relation is linear in log space')).toBe(true);
    expect(matches('linear .. log*', 'log is used because the relation is linear')).toBe(false);
    expect(matches('log* .. linear', 'log is used because the relation is linear')).toBe(false);
    expect(matches('log* .. linear', 'in log space the relation is linear')).toBe(true);
    expect(matches('a .. b', 'a, b')).toBe(false);
  });
  it('chains steps, phrases and alternatives; a step does not overlap the one before', () => {
    expect(matches('(impurity | gini) .. fit* .. (train* | in sample)', 'gini importance is fitted in sample')).toBe(true);
    expect(matches('(impurity | gini) .. fit* .. (train* | in sample)', 'gini importance is measured in sample after the fit')).toBe(false);
    expect(matches('power law .. log log', 'a power law is a line in log log axes')).toBe(true);
    expect(matches('law .. law', 'the power law')).toBe(false);
    expect(matches('law .. law', 'the law of the law')).toBe(true);
  });
  it('each step keeps its negation: plain, !, ~, ?', () => {
    expect(matches('impurity .. train*', 'impurity is not computed on train')).toBe(false);
    expect(matches('impurity .. !test*', 'impurity never sees the test events')).toBe(true);
    expect(matches('impurity .. ?test*', 'impurity never sees the test events')).toBe(true);
    expect(matches('impurity .. ?test*', 'impurity has no test events')).toBe(false);
    expect(matches('train* + test* - impurity .. test*', 'impurity is computed on the test set and permutation on train')).toBe(false);
    expect(matches('train* + test* - impurity .. test*', 'impurity is computed on train and permutation on test')).toBe(true);
  });
  it('parses, and refuses a malformed sequence', () => {
    const r = rule('impurity .. (train* | fit*) + permut*');
    expect(r.all).toHaveLength(2);
    expect(r.all[0]!.sequence).toHaveLength(2);
    expect(r.all[0]!.alternatives).toHaveLength(3);
    expect(rule('0.1 .. s').all[0]!.sequence![0]!.alternatives).toEqual([{ kind: 'words', words: [{ text: '0.1', prefix: false }] }]);
    for (const bad of ['a ..', '.. a', 'a .. .. b', 'a ... b', '(a .. b)', '(a | b .. c)']) expect(typeof parseMatch(bad), bad).toBe('string');
    // `|` binds tighter than `..`, as inside `+`: `x | a .. b | c` is `(x | a) .. (b | c)`.
    expect(matches('x | a .. b | c', 'x comes before c')).toBe(true);
    expect(parseSynonyms('s = a .. b')).toEqual(expect.stringContaining('..'));
  });
  it('grades the pairing, not the words: importance-disagree', () => {
    const q = textQuestion(
      [
        'synonyms: held = test* | held out | new event* | unseen | out of sample',
        'match: (impurity | gini | mdi) .. (train* | fit* | in sample)',
        'match: permut* .. @held',
        'answer: Impurity importance is measured on the training events, permutation importance on the test events.',
      ],
      {
        accept: [
          'Impurity is computed on the training events, permutation on the test events.',
          'gini importance comes from the fit',
          'permutation is measured on unseen events',
          'impurity uses the training data while permutation uses the test data',
          'the mdi is from training',
        ],
        refuse: [
          'impurity importance is computed on the test set and permutation on train',
          'both are measured on the training events',
          'the test set is larger than the training set',
          'impurity is not computed on train',
          'train test impurity permutation importance',
        ],
      },
    );
    expect(gradeAnswer(q, 'impurity from the training set; permutation from the test set', ctx).correct).toBe(true);
    expect(gradeAnswer(q, 'permutation on the training set and impurity on the test set', ctx).correct).toBe(false);
    expect(gradeAnswer(q, 'impurity on test, permutation on train', ctx).correct).toBe(false);
  });
});

describe('words, phrases, prefixes and typos', () => {
  it('matches words, never substrings', () => {
    expect(matches('age', 'something about the average')).toBe(false);
    expect(matches('far', 'no idea so farther')).toBe(false);
    expect(matches('age', 'the age of the probe')).toBe(true);
    expect(matches('log', 'in log space')).toBe(true);
    expect(matches('log', 'logarithm')).toBe(false);
    expect(matches('log*', 'logarithm')).toBe(true);
  });
  it('matches phrases as consecutive words in one clause, each word possibly a prefix', () => {
    expect(matches('power law', 'a power-law relation')).toBe(true);
    expect(matches('power law', 'the POWER   LAW')).toBe(true);
    expect(matches('power law', 'power of the law')).toBe(false);
    expect(matches('power law', 'more power, law and order')).toBe(false);
    expect(matches('same flood*', 'samples of the same floods')).toBe(true);
    expect(matches('1/r2', 'density falls as 1/r²')).toBe(true);
  });
  it('forgives one typo in words of six letters or more, never in short words or numbers', () => {
    expect(matches('multiplicative', 'multiplcative errors')).toBe(true);
    expect(matches('variance', 'the varaince is constant')).toBe(true);
    expect(matches('spread', 'the spraed')).toBe(true);
    expect(matches('spread', 'the spreads')).toBe(true);
    expect(matches('noise', 'the noice')).toBe(false);
    expect(matches('biased', 'it is based on')).toBe(false);
    expect(matches('0.952', '0.958')).toBe(false);
    expect(matches('correlat*', 'corelation in time')).toBe(true);
    expect(matches('varian*', 'variable')).toBe(false);
    expect(matches('heterosced*', 'heteroskedastic')).toBe(true);
  });
  it('withinOneEdit counts a transposition as one edit', () => {
    expect(withinOneEdit('spread', 'sperad')).toBe(true);
    expect(withinOneEdit('spread', 'spead')).toBe(true);
    expect(withinOneEdit('spread', 'spreadd')).toBe(true);
    expect(withinOneEdit('spread', 'sprwad')).toBe(true);
    expect(withinOneEdit('spread', 'sperda')).toBe(false);
    expect(wordMatches('leakage', { text: 'leak', prefix: true })).toBe(true);
  });
  it('+ concepts must all be present, not negated; - concepts must be absent', () => {
    const e = '(multiplicat* | proportional | relative | percent*) + (error* | spread | scatter) - additive';
    expect(matches(e, 'the errors are multiplicative')).toBe(true);
    expect(matches(e, 'the spread is proportional to the value')).toBe(true);
    expect(matches(e, 'errors are not multiplicative')).toBe(false);
    expect(matches(e, 'multiplicative, not additive, errors')).toBe(true);
    expect(matches(e, 'multiplicative and additive errors')).toBe(false);
    expect(matches(e, 'multiplicative')).toBe(false);
    expect(matches('leak* - not', 'it leaks')).toBe(true);
  });
  it('!term counts only negated occurrences, ~term any occurrence', () => {
    expect(matches('!independent', 'the test data is not independent')).toBe(true);
    expect(matches('!independent', 'the samples are independent')).toBe(false);
    expect(matches('independent', 'the test data is not independent')).toBe(false);
    expect(matches('~drift', "it doesn't include the drift")).toBe(true);
    expect(matches('~drift', 'the drift of the probe')).toBe(true);
    expect(matches('interval + ~(drift | saturat*)', 'the interval does not see saturation')).toBe(true);
    expect(matches('real - !real', 'it was trained on real data, not synthetic')).toBe(true);
    expect(matches('synthetic | !real', 'it never saw real seismograms')).toBe(true);
    expect(typeof parseMatch('!!x')).toBe('string');
    expect(typeof parseMatch('! ')).toBe('string');
  });
  it('reads a spaced minus and ≠ as the words they stand for', () => {
    expect(words('observed - fitted')).toEqual(['observed', 'minus', 'fitted']);
    expect(words('y − ŷ')).toEqual(['y', 'minus', 'y']);
    expect(words('synthetic ≠ real')).toEqual(['synthetic', 'different', 'from', 'real']);
    expect(words('a power-law, 1-d')).toEqual(['a', 'power', 'law', '1', 'd']);
  });

  it('synonym lists are expanded where @name is used', () => {
    const q = textQuestion(
      [
        'synonyms: leak = leak* | peek* | cheat* | information about the test',
        'match: @leak + (test* | held out)',
        'answer: Fitting on the test events leaks information about the test set into training.',
      ],
      {
        accept: [
          'it leaks the test set into training',
          'we would peek at the test events',
          'that is cheating with the test data',
          'information about the test set would enter training',
          'the scaler would have seen the test events: a leak',
        ],
        refuse: ['it is faster', 'it does not leak anything about the test set', 'the test set is larger', 'to leak', 'the training set is bigger'],
      },
    );
    expect(gradeAnswer(q, 'fitting it on everything peeks at the test set', ctx).correct).toBe(true);
    expect(gradeAnswer(q, 'it would not peek at the test set', ctx).correct).toBe(false);
  });
});

describe('parsing match expressions', () => {
  it('reads concepts, alternatives, prefixes and the two operators', () => {
    const r = rule('(multiplicat* | factor) + error* - random');
    expect(r.all).toHaveLength(2);
    expect(r.none).toHaveLength(1);
    expect(r.all[0]!.alternatives).toEqual([
      { kind: 'words', words: [{ text: 'multiplicat', prefix: true }] },
      { kind: 'words', words: [{ text: 'factor', prefix: false }] },
    ]);
    // A hyphen inside a word is a hyphen, not the `-` operator.
    expect(rule('power-law').all[0]!.alternatives).toEqual([
      {
        kind: 'words',
        words: [
          { text: 'power', prefix: false },
          { text: 'law', prefix: false },
        ],
      },
    ]);
    expect(rule('a | @leak').all[0]!.alternatives[1]).toEqual({ kind: 'synonym', name: 'leak' });
  });
  it.each([
    ['', 'at least one word'],
    ['a + ', 'must be followed'],
    ['- a', 'starts with a concept'],
    ['(a | b', 'unbalanced'],
    ['a | | b', 'empty alternative'],
    ['((a))', 'do not nest'],
    ['ab*', 'at least 3 letters'],
    ['a*b', 'end of a word'],
    ['power, law', 'cannot be part of a term'],
    ['/regex/i', 'is a regex'],
  ])('refuses %j (%s)', (source, why) => {
    const r = parseMatch(source);
    expect(typeof r).toBe('string');
    expect(r).toContain(why);
  });
  it('reads synonym lists', () => {
    expect(parseSynonyms('leak = leak* | peek*')).toMatchObject({ name: 'leak', alternatives: [{ kind: 'words' }, { kind: 'words' }] });
    expect(parseSynonyms('leak leak*')).toEqual(expect.stringContaining('synonyms: name = term'));
    expect(parseSynonyms('leak = @other')).toEqual(expect.stringContaining('cannot refer to another'));
  });
});

describe('a bare list of words is not graded: the student is asked for a sentence', () => {
  it.each([
    'bootstrap interval flux bias',
    'real records synthetic windows PhaseNet',
    'VT LP frequency duration',
    'k-means clusters labels',
    'CNN MLP weights layers',
    'scanner radius neighbours density',
    'probe outage interpolation turbidity samples',
  ])('%j', (answer) => {
    expect(noContent(tokenize(answer), 2)).toMatch(/^Answer in a sentence, not a list of words/);
  });
  it.each([
    'observed minus fitted stage',
    'y minus y hat',
    'SSC = a*T^b',
    'leakage between train and test',
    'impurity favours continuous features',
    'impurity importance prefers continuous features',
    'local connectivity + shared weights',
    'pts w/ comparable neighbourhood geometry',
    'temporal autocorrelation leaks',
    'residual = measured - fitted',
    'power law',
    'multiplicative errors',
    'errors grow proportionally',
    'shuffled folds leak',
    'samples never independent',
  ])('grades terse answers that say something: %j', (answer) => {
    expect(noContent(tokenize(answer), 2)).toBeNull();
  });
  it('reads three words as a noun phrase, four as a list', () => {
    expect(noContent(tokenize('power law relation'), 2)).toBeNull();
    expect(noContent(tokenize('temporal autocorrelation leakage'), 2)).toBeNull();
    expect(noContent(tokenize('sensor drift algae fouling'), 2)).toMatch(/not a list of words/);
  });
  it('leaves lists to a name/term question (min-words: 1) and to review questions', () => {
    expect(noContent(tokenize('precision recall F1 residuals'), 1)).toBeNull();
    expect(noContent(tokenize('precision recall F1 residuals'), 2, { sentence: false })).toBeNull();
    expect(noContent(tokenize('precision recall F1 residuals'), 2)).not.toBeNull();
  });
  it('a list on an auto question is not graded, a sentence with the same words is', () => {
    const q = textQuestion(
      [
        'match: ?(bias* | drift* | systemat*) + (interval* | bootstrap* | resampl*)',
        'answer: The bootstrap resamples random errors only: a drift or bias of the probe is outside the interval.',
      ],
      {
        accept: [
          'the bootstrap interval ignores the bias',
          'the probe drift biases the flux outside the interval',
          'bias: the interval misses it',
          'systematic errors stay out of the resampling',
          'the interval leaves out a drifting probe',
        ],
        refuse: [
          'the interval has no bias',
          'bootstrap interval flux bias',
          'the bootstrap is just unlucky',
          'interval bootstrap flux tonnes river',
          'the weather was nice',
        ],
      },
    );
    expect(gradeAnswer(q, 'bootstrap interval flux bias', ctx)).toMatchObject({
      invalid: true,
      correct: false,
      feedback: expect.stringMatching(/not a list of words/),
    });
    expect(gradeAnswer(q, 'bias in the bootstrap interval', ctx).correct).toBe(true);
    expect(gradeAnswer(q, 'the bootstrap interval has no bias', ctx).correct).toBe(false);
    const review = question(':::question r\ntype: text\ngrading: review\nanswer: Precision, recall and F1.\n\nWhich metrics?\n:::');
    expect(gradeAnswer(review, 'precision recall F1 residuals', ctx).invalid).toBeUndefined();
  });
});

describe('answers with no content are not graded', () => {
  it.each([
    'idk',
    'IDK.',
    'i dont know',
    "I don't know",
    'no idea',
    'dunno',
    '?',
    '???',
    'asdf',
    'test',
    'sdfghjkl',
    'aaaaaaa',
    'hahaha',
    'qwerty',
    'because',
    'something',
    'it is because of the thing',
    'log log log',
    'leakage',
    'the line',
    'no idea so far',
    'idk lol',
  ])('%j', (answer) => {
    expect(noContent(tokenize(answer), 2)).toMatch(/^Answer in a sentence/);
  });
  it('counts distinct content words, not stop words, negators or mash', () => {
    expect(contentWords(tokenize('because it is not the power law, asdf'))).toEqual(['power', 'law']);
    expect(noContent(tokenize('because it is a power law'), 2)).toBeNull();
    expect(noContent(tokenize('power law'), 3)).toMatch(/a few words are not enough/);
    expect(noContent(tokenize('MNIST'), 1)).toBeNull();
    expect(noContent(tokenize('idk'), 1)).toMatch(/^Answer with a name/);
    expect(noContent(tokenize('test'), 1)).not.toBeNull();
    expect(noContent(tokenize('the test set'), 1)).toBeNull();
    // An answer that says it does not know: repeating the question's words is no content.
    expect(noContent(tokenize('idk what residual mean'), 2, { prompt: 'In a few words: what is a residual?' })).toMatch(/^Answer in a sentence/);
    expect(noContent(tokenize('residual means the gap'), 2, { prompt: 'In a few words: what is a residual?' })).toBeNull();
    expect(noContent(tokenize('not sure, maybe the gap to the line'), 2, { prompt: 'What is a residual?' })).toBeNull();
  });
  it('is invalid, with no hint or reveal, even on the last attempt', () => {
    const q = textQuestion(['match: power law', 'answer: Because SSC is a power law of turbidity.', 'attempts: 1', 'hint: Look at the plot.'], {
      accept: ['a power law', 'it is a power-law', 'SSC is a power law of turbidity', 'because of the power law', 'power law relation'],
      refuse: ['it is linear', 'not a power law', 'the power of the law', 'more data', 'higher r2'],
    });
    const g = gradeAnswer(q, 'idk', { results: {}, attempt: 1 });
    expect(g).toEqual({ correct: false, invalid: true, feedback: expect.stringMatching(/^Answer in a sentence/), normalized: 'idk' });
  });
});

// Real questions of the shipped lessons, with match lines as a lesson author would write them, and answers a class
// would type: the test is that the grader separates them as a teacher would.
describe('real questions', () => {
  const whyLog = textQuestion(
    [
      'synonyms: mult = multiplicat* | proportional | relative | percent* | factor | scale with | grow with',
      'match: power law',
      'match: @mult + (error* | spread | scatter | noise | residual* | variance)',
      'match: (spread | variance | scatter | residual*) + (constant | same | equal | uniform | stable | even)',
      'match: (straight | linear | line) + log*',
      'wrong: (r2 | r 2 | score) -> R² in log and in mg/L are not comparable. What changes in the shape of the cloud?',
      'answer: Because SSC is a power law of turbidity (a straight line in log–log) and its errors are multiplicative: in logs the spread is constant.',
    ],
    {
      accept: [
        'because ssc follows a power law of turbidity',
        'the errors are multiplicative, so logs make them additive',
        'in log space the spread of the residuals is constant',
        'a power-law relation becomes a straight line in log–log',
        'the scatter grows with the value; taking logs makes it even',
      ],
      refuse: [
        'it is not a power law',
        'not because of any power law, just convention',
        'the errors are not multiplicative',
        'because it gives a higher r2',
        'power banana law spread',
      ],
    },
  );
  it('why-log (river): paraphrases pass; negations, r² and stuffing do not', () => {
    const right = [
      'SSC ~ a·T^b is a power law',
      'the residuals scale with the turbidity (proportional errors)',
      'the relationship is linear in log log axes',
      'variance becomes constant',
      'multiplcative error',
    ];
    const wrong = [
      'it is prettier',
      'it is not linear in log axes',
      'no power law here',
      'law power',
      'the spread is not constant',
      'log because logs are log',
    ];
    for (const a of right) expect(gradeAnswer(whyLog, a, ctx).correct, a).toBe(true);
    for (const a of wrong) expect(gradeAnswer(whyLog, a, ctx).correct, a).toBe(false);
    expect(gradeAnswer(whyLog, 'a better R² score', ctx).feedback).toMatch(/not comparable/);
  });

  const residual = textQuestion(
    [
      'match: (difference | distance | gap | error | offset | deviation | far | away | minus | vertical) + (line | fit* | model | predict* | measured | observed | actual | true | point*)',
      'wrong: line - (difference | distance | gap | error | far | minus | away) -> The line is the model; a residual is about one point and the line.',
      'answer: The measured value minus the fitted value at the same input: the vertical gap between a point and the line.',
      'min-words: 2',
    ],
    {
      accept: [
        'how far a point lies from the line',
        'measured minus predicted',
        'the difference between the observed value and the fit',
        'the vertical gap between a point and the line',
        'the error of the prediction at one point',
      ],
      refuse: ['the line itself', 'the fitted line', 'the slope of the model', 'no difference between point and line', 'the points'],
    },
  );
  it('what-is-a-residual (intro): "how far a point lies from the line" is right; the line alone is not', () => {
    expect(gradeAnswer(residual, 'how far each point is from the line', ctx).correct).toBe(true);
    expect(gradeAnswer(residual, 'the observed minus the model value', ctx).correct).toBe(true);
    expect(gradeAnswer(residual, 'the straight line', ctx)).toMatchObject({ correct: false, feedback: expect.stringMatching(/^The line is the model/) });
    expect(gradeAnswer(residual, 'something about the average', ctx).correct).toBe(false);
  });

  const accuracy = textQuestion(
    [
      'synonyms: always = always | everything | every point | all points | all | only',
      'match: imbalanc* | unbalanc* | minority | majority | rare | dominat* | skew*',
      'match: (few | small | little | tiny) + (vegetation | class* | points)',
      'match: @always + (sand | floor | ground | one class)',
      'match: (most | 90 | 0.9 | nine) + (sand | floor | ground | points)',
      'answer: Because the classes are imbalanced: a model that always says "floor" already has a high overall accuracy.',
    ],
    {
      accept: [
        'predicting everything as sand already scores about 0.9',
        'the classes are imbalanced',
        'most points are sand',
        'vegetation is a small class',
        'a model that always says floor looks good',
      ],
      refuse: [
        'the classes are not imbalanced',
        'accuracy is slow to compute',
        'because the model is bad',
        'sand vegetation accuracy score',
        'it is never sand',
      ],
    },
  );
  it('why-not-accuracy (lidar): the "everything is sand" argument passes in any words', () => {
    expect(gradeAnswer(accuracy, 'if you just call all points floor you get 90 %', ctx).correct).toBe(true);
    expect(gradeAnswer(accuracy, 'there are very few vegetation points', ctx).correct).toBe(true);
    expect(gradeAnswer(accuracy, 'the clases are unbalanced', ctx).correct).toBe(true);
    expect(gradeAnswer(accuracy, 'accuracy accuracy accuracy score', ctx).correct).toBe(false);
    expect(gradeAnswer(accuracy, 'the classes are balanced so it is fine', ctx).correct).toBe(false);
  });

  const split = textQuestion(
    [
      'synonyms: twins = leak* | twin* | cop* | duplicat* | memori* | seen | same flood* | same event* | autocorrel* | correlat* | neighbo* | close in time | minutes apart | nearly identical | similar',
      'match: @twins',
      'wrong: luck | chance -> Partly, but there is a systematic reason: think of the 24 bottles of one flood.',
      'answer: Samples of the same flood are nearly copies; with shuffled folds each test sample has its twins in the training set (leakage).',
    ],
    {
      accept: [
        'samples from the same flood end up in both sets',
        'the test samples have near copies in training: leakage',
        'neighbouring samples are autocorrelated',
        'the forest memorises each flood',
        'bottles taken minutes apart are nearly identical',
      ],
      refuse: ['bad luck with the folds', 'it is just chance', 'the samples are not correlated', 'there is no leakage here', 'the random forest is better'],
    },
  );
  it('why-split (river): leakage in other words passes; "no leakage" and luck do not', () => {
    expect(gradeAnswer(split, 'the test folds contain samples very similar to training ones', ctx).correct).toBe(true);
    expect(gradeAnswer(split, 'the model has already seen almost the same samples', ctx).correct).toBe(true);
    expect(gradeAnswer(split, 'samples never seen before', ctx).correct).toBe(false);
    expect(gradeAnswer(split, 'just luck, nothing more', ctx).feedback).toMatch(/^Partly/);
    // Too short to grade, but an anticipated mistake: its feedback, and no try counted.
    expect(gradeAnswer(split, 'luck', ctx)).toMatchObject({
      invalid: true,
      feedback: expect.stringMatching(/^Partly, but .* Answer in a sentence: this one is not counted as a try\.$/),
    });
  });

  it('a right answer gives the model answer beside the verdict', () => {
    const g = gradeAnswer(split, 'samples of one flood are copies of each other', ctx);
    expect(g).toMatchObject({ correct: true, modelAnswer: expect.stringMatching(/^Samples of the same flood/) });
  });

  it('a 10 kB answer is graded whole (its last sentence counts) and correctly', () => {
    const filler = 'The river carries sediment during floods and the probe records turbidity every five minutes. ';
    const long = filler.repeat(Math.ceil(10_000 / filler.length)) + 'In the end, it is a power law.';
    expect(long.length).toBeGreaterThan(10_000);
    expect(gradeAnswer(whyLog, long, ctx).correct).toBe(true);
    expect(gradeAnswer(whyLog, long.replace('it is a power law', 'it is not a power law'), ctx).correct).toBe(false);
  });
});

describe('review mode', () => {
  it('returns the model answer and the provisional automatic verdict; correct is that verdict', () => {
    const withMatch = question(':::question q\ntype: text\ngrading: review\nmatch: power law\nanswer: A power law.\nexplain: Logs straighten it.\n\nWhy?\n:::');
    expect(gradeAnswer(withMatch, 'it is a power law', ctx)).toMatchObject({
      correct: true,
      review: { modelAnswer: 'A power law.', auto: true },
      explain: 'Logs straighten it.',
    });
    const g = gradeAnswer(withMatch, 'it grows like an exponential', { results: {}, attempt: 5 });
    expect(g).toMatchObject({ correct: false, review: { modelAnswer: 'A power law.', auto: false } });
    expect(g.revealed).toBeUndefined();
    expect(g.hint).toBeUndefined();
    const without = question(':::question q\ntype: text\ngrading: review\nanswer: Any honest answer.\n\nWhat did you miss?\n:::');
    expect(gradeAnswer(without, 'I mixed up precision and recall', ctx)).toMatchObject({
      correct: false,
      review: { modelAnswer: 'Any honest answer.', auto: null },
    });
    expect(gradeAnswer(without, 'idk', ctx)).toMatchObject({ invalid: true });
  });
});
