// Free-text answers matched the way a teacher reads them: on words (not substrings), with phrases, prefixes,
// synonym lists, negation ("not a power law" is not "a power law") and small typos. The format of `match:`
// expressions is in lessons/README.md. Everything here is linear in the answer's length: no regex runs over the
// answer, each character is looked at once by the tokenizer and each word a bounded number of times per term.

/** The matcher reads at most this many characters of an answer (a time bound; 10 kB answers are read whole). */
export const MATCH_INPUT_LIMIT = 20_000;

/** One word of an answer. */
export interface Token {
  /** Lower case, accents removed; a decimal number keeps its point (`0.1`, `0,1` → `0.1`). */
  word: string;
  /** Index of the clause it is in (clauses end at `. , ; : ! ? ( )`, dashes, and before but/although/…). */
  clause: number;
  /**
   * Index of the clause part it is in, for `a .. b`: a clause, further cut before and, or, because, so, while,
   * … ("impurity is computed on the test set | and permutation on train").
   */
  part: number;
  /**
   * Whether a negator comes shortly before it in its clause: it negates the next two words, not counting small
   * words such as `the`, `of`, `because` (so "not because of the power law" negates "power law"); `and`, and a
   * word opening a subordinate clause once a word is negated (`that`, `if`, `because`, …), end it.
   */
  negated: boolean;
  /**
   * Whether it is named as missing: what a negated include, cover, capture, see, account for, … is about ("it
   * doesn't include the drift" names the drift as what is left out). Such a word is also `negated`: a plain term
   * does not count it (in "the folds do not include the same flood" the same flood is denied), a `?term` does.
   */
  absent?: boolean;
}

/** A word of a term: matched whole, or as a prefix (`multiplicat*`). */
export interface TermWord {
  /** Normalised like an answer's words. */
  text: string;
  /** Whether it was written with a trailing `*`. */
  prefix: boolean;
}

/**
 * How an alternative treats negation: `plain` occurrences count only when not negated (the default), `negated`
 * (`!term`) only when negated ("not independent" for `!independent`), `any` (`~term`) either way, `named`
 * (`?term`) when not negated or named as missing ("doesn't include the drift" for `?drift`, not "no drift").
 */
export type NegationMode = 'plain' | 'negated' | 'any' | 'named';

/** One alternative of a concept: a word or a phrase (consecutive words), or a reference to a synonym list. */
export type Alternative = { kind: 'words'; words: TermWord[]; mode?: NegationMode } | { kind: 'synonym'; name: string; mode?: NegationMode };

/** `a | b | c`: present when any alternative occurs (not negated, unless it says otherwise). */
export interface Concept {
  /** Its alternatives; for a sequence, those of all its steps (what bounds and `@name` checks count). */
  alternatives: Alternative[];
  /** `a .. b .. c`: present when the steps occur in this order within one clause part. */
  sequence?: Concept[];
}

/** A parsed `match:` line: satisfied when every `all` concept is present and no `none` concept is. */
export interface MatchRule {
  /** The expression as written, for messages. */
  source: string;
  /** The `+` concepts (the first concept is one of them). */
  all: Concept[];
  /** The `-` concepts. */
  none: Concept[];
  /** Line of its field in the lesson file, when it comes from one. */
  line?: number;
}

/** Synonym lists of a question: `synonyms: leak = leak* | peek* | cheat*` is `leak` → its alternatives. */
export type Synonyms = ReadonlyMap<string, Alternative[]>;

const NEGATORS = new Set([
  'not',
  'no',
  'never',
  'none',
  'nor',
  'without',
  'hardly',
  'neither',
  'cannot',
  'non',
  // Negations typed without their apostrophe.
  'dont',
  'doesnt',
  'didnt',
  'isnt',
  'arent',
  'wasnt',
  'werent',
  'cant',
  'couldnt',
  'wouldnt',
  'shouldnt',
  'wont',
  'hasnt',
  'havent',
  'hadnt',
  'aint',
  'mustnt',
  'neednt',
]);
/** A negator followed by one of these does not negate ("not only", "not just", "no doubt", "no matter"). */
const NOT_NEGATING_AFTER = new Set(['only', 'just', 'merely', 'simply', 'solely', 'doubt', 'matter', 'wonder']);
/** Two-word negators: the second word negates like `not` ("rather than X", "instead of X"). */
const NEGATING_PAIRS = new Map([
  ['than', 'rather'],
  ['of', 'instead'],
]);
/** Words that start a new clause: what comes after them is not negated by what came before. */
const CLAUSE_WORDS = new Set(['but', 'although', 'however', 'whereas', 'though']);
/**
 * Words that start a new clause part (for `a .. b`), besides the clause words: a coordinated or causal clause says
 * something else ("impurity on the test set | and permutation on train", "log is used | because it is linear").
 * `when` and `if` do not: "impurity is computed when fitting" is one statement.
 */
const PART_WORDS = new Set(['and', 'or', 'nor', 'because', 'since', 'so', 'while', 'then', 'thus', 'hence', 'therefore', 'whereas']);
/** Characters that end a clause. */
const CLAUSE_MARKS = new Set([...'.,;:!?()[]{}—']);
const NEGATION_WINDOW = 2;
/**
 * Words that open a subordinate clause. Once a negation has negated a word, one of these ends it: the head verb is
 * negated, not the clause ("we cannot say that the bias is small", "not reliable if the flood is big"). Right after
 * the negator they do not end it: then the clause itself is what is negated ("not because of the drift").
 */
const SCOPE_ENDS = new Set([
  'that',
  'which',
  'who',
  'whom',
  'whose',
  'if',
  'when',
  'whenever',
  'where',
  'while',
  'since',
  'because',
  'unless',
  'until',
  'whether',
  'so',
]);
/**
 * Verbs about what something covers: negated, they name their object as missing, not deny it ("the bootstrap does
 * not include the drift", "accuracy doesn't account for class imbalance", "it never saw real records"). Prefixes.
 */
const COVERAGE_STEMS = ['includ', 'cover', 'captur', 'consider', 'handl', 'contain', 'reflect', 'represent', 'account', 'show', 'detect'];
const SEE = new Set(['see', 'sees', 'saw', 'seen', 'seeing', 'know', 'knows', 'knew', 'known', 'knowing']);
const TAKE = new Set(['take', 'takes', 'took', 'taken', 'taking']);
/** How far `take` may be from its `into account` ("does not take the drift of the probe into account"). */
const TAKE_REACH = 6;

/** Whether token i is a coverage verb: include, cover, …, see, or take … into account. */
function coverageVerb(tokens: readonly Token[], i: number): boolean {
  const w = tokens[i]!.word;
  if (SEE.has(w) || COVERAGE_STEMS.some((stem) => w.startsWith(stem))) return !w.startsWith('coverage');
  if (!TAKE.has(w)) return false;
  for (let k = i + 1; k <= i + TAKE_REACH && k + 1 < tokens.length && tokens[k + 1]!.clause === tokens[i]!.clause; k++) {
    if ((tokens[k]!.word === 'into' || tokens[k]!.word === 'in') && tokens[k + 1]!.word === 'account') return true;
  }
  return false;
}
/** `no` and `without` negate the noun phrase they open: one word ("no feature is favoured in the distance"). */
const SHORT_NEGATORS = new Set(['no', 'without']);
/** `no` before one of these is an interjection ("no it's outside…"), not a negation. */
const NO_INTERJECTION_BEFORE = new Set(['it', 'i', 'we', 'they', 'you', 'he', 'she', 'this', 'that', 'there', 'its']);
/**
 * Small words a negation reaches across without counting them among its three: "not because of the power law"
 * negates "power law".
 */
const PASS_THROUGH = new Set(
  'a an the any some of to because due about for from by at on in its it is are was be been being that this really very quite even all necessarily s t d ll re ve m'.split(
    ' ',
  ),
);
/** Distinct content words an answer needs before it is graded, unless the question sets `min-words:`. */
export const DEFAULT_MIN_WORDS = 2;
/** Words of at least this many letters match at edit distance 1 (a typo); shorter ones must be exact. */
export const TYPO_MIN_LENGTH = 6;

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/** Signs that make a terse answer a statement rather than a list (`SSC = a*T^b`, `connectivity + shared weights`). */
const FORMULA_SIGNS = /[=+<>→⇒≈∝~^*×]/u;
/** Token lists of answers written with such signs (see `isWordList`). */
const formulas = new WeakSet<readonly Token[]>();
const DIGIT = /[0-9]/;
const COMBINING = /\p{M}/gu;
const APOSTROPHES = new Set(["'", '’', 'ʼ', '`']);

function isNegator(word: string): boolean {
  return NEGATORS.has(word) || word.endsWith("n't");
}

/** `≠` and a minus between spaced words (`observed - fitted`) are read as the words they stand for. */
function spellSymbols(text: string): string {
  return text
    .replace(/≠/g, ' different from ')
    .replace(/(^|\s)[-−](?=\s)/g, '$1 minus ')
    .replace(/−/g, ' minus ');
}

/** Lower case, accents and other combining marks removed, compatibility forms unfolded (`²` → `2`, `ﬁ` → `fi`). */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(COMBINING, '').toLowerCase();
}

/**
 * Splits text into words: letters and digits, everything else separates (`power-law` → `power`, `law`;
 * `R²` → `r2`). `doesn't` stays one word (a negator); `model's` gives `model`, `s`; `0.1` and `0,1` give `0.1`.
 */
export function tokenize(text: string): Token[] {
  const s = foldText(spellSymbols(text.length > MATCH_INPUT_LIMIT ? text.slice(0, MATCH_INPUT_LIMIT) : text));
  const symbolic = FORMULA_SIGNS.test(s);
  const tokens: Token[] = [];
  let clause = 0;
  let part = 0;
  let word = '';
  let numeric = true;
  const flush = (): void => {
    if (word === '') return;
    const last = tokens[tokens.length - 1];
    if (CLAUSE_WORDS.has(word) && last !== undefined) clause++;
    if (last !== undefined && (last.clause !== clause || PART_WORDS.has(word))) part++;
    tokens.push({ word, clause, part, negated: false });
    word = '';
    numeric = true;
  };
  const chars = Array.from(s);
  for (let k = 0; k < chars.length; k++) {
    const c = chars[k]!;
    if (LETTER_OR_DIGIT.test(c)) {
      word += c;
      if (!DIGIT.test(c)) numeric = false;
      continue;
    }
    const next = chars[k + 1] ?? '';
    if ((c === '.' || c === ',') && word !== '' && numeric && DIGIT.test(next) && !word.includes('.')) {
      word += '.'; // a decimal point (or comma) inside a number, not the end of a clause
      continue;
    }
    if (APOSTROPHES.has(c) && word.endsWith('n') && next === 't' && !LETTER_OR_DIGIT.test(chars[k + 2] ?? '')) {
      word += "'t";
      k++;
      flush();
      continue;
    }
    flush();
    if (CLAUSE_MARKS.has(c)) clause++;
  }
  flush();
  markNegations(tokens);
  if (symbolic) formulas.add(tokens);
  return tokens;
}

function markNegations(tokens: Token[]): void {
  // Words still negated by the latest negator of the clause (words in PASS_THROUGH do not use one up), and whether
  // that negator has negated a word yet.
  let left = 0;
  let used = false;
  let missing = false; // the negated word was a coverage verb: what follows is named as missing
  let clause = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.clause !== clause) {
      clause = t.clause;
      left = 0;
    }
    if (t.word === 'and') left = 0; // "no leakage and the spread is constant": the spread is not negated
    if (used && SCOPE_ENDS.has(t.word)) left = 0;
    t.negated = left > 0;
    if (left > 0 && missing) t.absent = true;
    if (left > 0 && !PASS_THROUGH.has(t.word)) {
      left--;
      used = true;
      if (!missing && coverageVerb(tokens, i)) missing = true;
    }
    const next = tokens[i + 1];
    const pair = NEGATING_PAIRS.get(t.word);
    const sameClause = next !== undefined && next.clause === t.clause;
    const negates =
      (isNegator(t.word) && !(sameClause && NOT_NEGATING_AFTER.has(next.word)) && !(t.word === 'no' && sameClause && NO_INTERJECTION_BEFORE.has(next.word))) ||
      (pair !== undefined && i > 0 && tokens[i - 1]!.word === pair && tokens[i - 1]!.clause === t.clause);
    if (negates) {
      left = SHORT_NEGATORS.has(t.word) ? 1 : NEGATION_WINDOW;
      used = false;
      missing = false;
    }
  }
}

/** Whether a and b differ by at most one insertion, deletion, substitution or transposition of neighbours. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

const HAS_DIGIT = /\d/;

/** Whether an answer's word matches a term word: exactly, as a prefix, or (long words, no digits) at one edit. */
export function wordMatches(word: string, term: TermWord): boolean {
  const t = term.text;
  if (term.prefix ? word.startsWith(t) : word === t) return true;
  if (t.length < TYPO_MIN_LENGTH || word.length < TYPO_MIN_LENGTH || HAS_DIGIT.test(t) || HAS_DIGIT.test(word)) return false;
  if (!term.prefix) return withinOneEdit(word, t);
  // A prefix compares the word's beginning, and its last letter must be in place: `varian*` is not `variable`.
  for (const k of [t.length, t.length - 1, t.length + 1]) {
    if (k > word.length) continue;
    const head = word.slice(0, k);
    if (head[k - 1] === t[t.length - 1] && withinOneEdit(head, t)) return true;
  }
  return false;
}

/** Whether `words` occur (consecutively, in one clause, not negated) starting at token i. */
function occursAt(tokens: readonly Token[], i: number, words: readonly TermWord[], mode: NegationMode): boolean {
  const first = tokens[i]!;
  if (i + words.length > tokens.length) return false;
  if (mode === 'plain' ? first.negated : mode === 'negated' ? !first.negated : mode === 'named' ? first.negated && first.absent !== true : false) return false;
  for (let j = 0; j < words.length; j++) {
    const t = tokens[i + j]!;
    if (t.clause !== first.clause || !wordMatches(t.word, words[j]!)) return false;
  }
  return true;
}

/** The word sequences of a concept, each with its negation mode (an `@name`'s own mode wins over its terms'). */
function expand(alternatives: readonly Alternative[], synonyms: Synonyms): Array<{ words: TermWord[]; mode: NegationMode }> {
  const out: Array<{ words: TermWord[]; mode: NegationMode }> = [];
  for (const a of alternatives) {
    if (a.kind === 'words') out.push({ words: a.words, mode: a.mode ?? 'plain' });
    else for (const s of synonyms.get(a.name) ?? []) if (s.kind === 'words') out.push({ words: s.words, mode: a.mode ?? s.mode ?? 'plain' });
  }
  return out;
}

/** Where each distinct word of an answer occurs: a term's first word is compared once per distinct word. */
const positionsCache = new WeakMap<readonly Token[], Map<string, number[]>>();

function positionsOf(tokens: readonly Token[]): Map<string, number[]> {
  let m = positionsCache.get(tokens);
  if (m === undefined) {
    m = new Map();
    tokens.forEach((t, i) => {
      const list = m!.get(t.word);
      if (list) list.push(i);
      else m!.set(t.word, [i]);
    });
    positionsCache.set(tokens, m);
  }
  return m;
}

/**
 * Where a concept occurs: for each token, the end (exclusive) of the shortest occurrence starting there, or -1.
 * As costly as finding whether it is present: each distinct word is compared once with each term's first word.
 */
function occurrenceEnds(tokens: readonly Token[], concept: Concept, synonyms: Synonyms): Int32Array {
  const ends = new Int32Array(tokens.length).fill(-1);
  const positions = positionsOf(tokens);
  for (const { words, mode } of expand(concept.alternatives, synonyms)) {
    for (const [word, at] of positions) {
      if (!wordMatches(word, words[0]!)) continue;
      for (const i of at) {
        const end = i + words.length;
        if ((ends[i]! < 0 || end < ends[i]!) && occursAt(tokens, i, words, mode)) ends[i] = end;
      }
    }
  }
  return ends;
}

/**
 * Whether the steps of `a .. b .. c` occur in this order, without overlapping, within one clause part. In each
 * part, each step takes its occurrence that ends first after the previous step's: linear in the answer's length.
 */
function sequencePresent(tokens: readonly Token[], steps: readonly Concept[], synonyms: Synonyms): boolean {
  const ends = steps.map((c) => occurrenceEnds(tokens, c, synonyms));
  for (let from = 0; from < tokens.length; ) {
    let to = from;
    while (to < tokens.length && tokens[to]!.part === tokens[from]!.part) to++;
    let at = from;
    let found = true;
    for (const e of ends) {
      let best = -1;
      for (let i = at; i < to && (best < 0 || i < best); i++) {
        const end = e[i]!;
        if (end >= 0 && end <= to && (best < 0 || end < best)) best = end;
      }
      if (best < 0) {
        found = false;
        break;
      }
      at = best;
    }
    if (found) return true;
    from = to;
  }
  return false;
}

/** Whether a concept is present in the answer: one of its alternatives occurs somewhere, not negated. */
export function conceptPresent(tokens: readonly Token[], concept: Concept, synonyms: Synonyms = new Map()): boolean {
  if (concept.sequence !== undefined) return sequencePresent(tokens, concept.sequence, synonyms);
  const terms = expand(concept.alternatives, synonyms);
  const positions = positionsOf(tokens);
  for (const { words, mode } of terms) {
    for (const [word, at] of positions) {
      if (!wordMatches(word, words[0]!)) continue;
      for (const i of at) if (occursAt(tokens, i, words, mode)) return true;
    }
  }
  return false;
}

/** Whether a `match:` rule is satisfied by the answer's tokens. */
export function ruleMatches(tokens: readonly Token[], rule: MatchRule, synonyms: Synonyms = new Map()): boolean {
  return rule.all.every((c) => conceptPresent(tokens, c, synonyms)) && !rule.none.some((c) => conceptPresent(tokens, c, synonyms));
}

// ---- Parsing match expressions ----

const SYNONYM_NAME = /^[a-z][a-z0-9_-]*$/;
/** Characters a term may hold besides letters and digits (separators inside words, like `power-law`, `1/r`). */
const TERM_PUNCTUATION = /^[\s\-'’/.·*]$/u;

/**
 * Parses one alternative (`power law`, `multiplicat*`, `same flood*`, `@leak`); a message when malformed.
 * `allowSynonym` is false inside a `synonyms:` list.
 */
function parseAlternative(raw: string, allowSynonym: boolean): Alternative | string {
  let text = raw.trim();
  if (text === '') return 'an empty alternative (two `|` in a row, or `|` at an end)';
  const mode: NegationMode | undefined = text.startsWith('!') ? 'negated' : text.startsWith('~') ? 'any' : text.startsWith('?') ? 'named' : undefined;
  if (mode !== undefined) {
    text = text.slice(1).trim();
    if (text === '' || /^[!~?]/.test(text))
      return `\`${raw.trim()}\`: \`!\` (negated), \`~\` (negated or not) or \`?\` (named, maybe as missing) goes once before a word, a phrase or \`@name\``;
    const a = parseAlternative(text, allowSynonym);
    return typeof a === 'string' ? a : { ...a, mode };
  }
  if (text.startsWith('@')) {
    const name = text.slice(1);
    if (!allowSynonym) return `\`${text}\`: a synonym list cannot refer to another one`;
    if (!SYNONYM_NAME.test(name)) return `\`${text}\` is not a synonym name (lower-case letters, digits, \`-\`, \`_\`)`;
    return { kind: 'synonym', name };
  }
  if (text.includes('..'))
    return `\`${text}\`: \`..\` (in this order) goes between the concepts of a match line, outside parentheses: \`impurity .. (train* | fit*)\``;
  for (const c of text) {
    if (!LETTER_OR_DIGIT.test(c) && !TERM_PUNCTUATION.test(c))
      return `\`${c}\` cannot be part of a term in \`${text}\` (terms are words, phrases and prefixes like \`multiplicat*\`)`;
  }
  const words: TermWord[] = [];
  for (const chunk of text.split(/\s+/)) {
    const star = chunk.endsWith('*');
    const body = star ? chunk.slice(0, -1) : chunk;
    if (body.includes('*')) return `\`*\` goes at the end of a word, in \`${text}\``;
    const parts = tokenize(body).map((t) => t.word);
    if (parts.length === 0) return `\`${chunk}\` holds no letters or digits`;
    parts.forEach((p, k) => words.push({ text: p, prefix: star && k === parts.length - 1 }));
    if (star && parts[parts.length - 1]!.length < 3) return `a prefix needs at least 3 letters before \`*\`, got \`${chunk}\``;
  }
  return { kind: 'words', words };
}

/** Splits `a .. (b | c) .. d` at its `..` outside parentheses; one piece when there is none. */
function splitSequence(text: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let start = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '.' && text[k + 1] === '.' && depth === 0) {
      pieces.push(text.slice(start, k));
      k++;
      start = k + 1;
    }
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** Parses `a | b | c`, `(a | b | c)`, or a sequence of those, `a .. (b | c)`. */
function parseConcept(raw: string): Concept | string {
  if (raw.includes('...')) return `\`..\` (in this order) is two dots, in \`${raw.trim()}\``;
  const pieces = splitSequence(raw);
  if (pieces.length > 1) {
    const steps: Concept[] = [];
    for (const piece of pieces) {
      if (piece.trim() === '') return `\`..\` needs a concept on each side, in \`${raw.trim()}\``;
      const c = parseStep(piece);
      if (typeof c === 'string') return c;
      steps.push(c);
    }
    return { alternatives: steps.flatMap((c) => c.alternatives), sequence: steps };
  }
  return parseStep(raw);
}

/** Parses one concept of a sequence: `a | b | c` or `(a | b | c)`, possibly marked `!(…)`, `~(…)`, `?(…)`. */
function parseStep(raw: string): Concept | string {
  let text = raw.trim();
  // `!(a | b)`, `~(a | b)` and `?(a | b)`: the mode applies to every alternative inside.
  const mode: NegationMode | undefined = /^[!~?]\s*\(/.test(text) ? (text[0] === '!' ? 'negated' : text[0] === '~' ? 'any' : 'named') : undefined;
  if (mode !== undefined) {
    const inner = parseStep(text.slice(1));
    if (typeof inner === 'string') return inner;
    return { alternatives: inner.alternatives.map((a) => (a.mode === undefined ? { ...a, mode } : a)) };
  }
  if (text.startsWith('(')) {
    if (!text.endsWith(')')) return `unbalanced parentheses in \`${text}\``;
    text = text.slice(1, -1);
  }
  if (text.includes('(') || text.includes(')')) return `parentheses do not nest: \`${raw.trim()}\``;
  const alternatives: Alternative[] = [];
  for (const part of text.split('|')) {
    const a = parseAlternative(part, true);
    if (typeof a === 'string') return a;
    alternatives.push(a);
  }
  return { alternatives };
}

/**
 * Parses a match expression: `concept (+ concept)* (- concept)*`. `+` and `-` are operators when a space (or a
 * parenthesis, or the start) comes before them; inside a word a `-` is a hyphen (`power-law`). A message when
 * malformed.
 */
export function parseMatch(source: string): MatchRule | string {
  const s = source.trim();
  if (s === '') return 'a match expression needs at least one word';
  if (/^\/.*\/[a-z]*$/.test(s)) return `\`${s}\` is a regex: \`match:\` takes words (\`power law\`, \`multiplicat* + error*\`), see lessons/README.md`;
  const parts: Array<{ sign: '+' | '-'; text: string }> = [];
  let sign: '+' | '-' = '+';
  let start = 0;
  let depth = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s[k]!;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (depth < 0) return `unbalanced parentheses in \`${s}\``;
    const before = k === 0 ? ' ' : s[k - 1]!;
    if ((c === '+' || c === '-') && depth === 0 && (/\s|\)/.test(before) || k === 0)) {
      parts.push({ sign, text: s.slice(start, k) });
      sign = c;
      start = k + 1;
    }
  }
  if (depth !== 0) return `unbalanced parentheses in \`${s}\``;
  parts.push({ sign, text: s.slice(start) });
  const rule: MatchRule = { source: s, all: [], none: [] };
  for (const [k, p] of parts.entries()) {
    if (p.text.trim() === '') {
      if (k === 0 && parts.length > 1) return `a match expression starts with a concept that must be present, not \`${parts[1]!.sign}\``;
      return `\`${p.sign}\` must be followed by a word, a phrase or \`(a | b)\`, in \`${s}\``;
    }
    const c = parseConcept(p.text);
    if (typeof c === 'string') return c;
    (p.sign === '+' ? rule.all : rule.none).push(c);
  }
  return rule;
}

/** Parses `name = term | term | …` (the value of a `synonyms:` field); a message when malformed. */
export function parseSynonyms(value: string): { name: string; alternatives: Alternative[] } | string {
  const m = /^\s*@?([^\s=]+)\s*=\s*(.*)$/.exec(value);
  if (!m) return '`synonyms:` is written `synonyms: name = term | term | …`';
  const name = m[1]!;
  if (!SYNONYM_NAME.test(name)) return `synonym name \`${name}\` must be lower-case letters, digits, \`-\` and \`_\``;
  const alternatives: Alternative[] = [];
  for (const part of m[2]!.split('|')) {
    const a = parseAlternative(part, false);
    if (typeof a === 'string') return a;
    alternatives.push(a);
  }
  return { name, alternatives };
}

/** The `@names` a rule refers to. */
export function synonymNames(rule: MatchRule): string[] {
  return [...rule.all, ...rule.none].flatMap((c) => c.alternatives.flatMap((a) => (a.kind === 'synonym' ? [a.name] : [])));
}

// ---- Answers with no content ----

/** Words that carry no content of their own: they do not count toward `min-words`. */
const STOP_WORDS = new Set(
  (
    'a an the this that these those it its itself i me my mine we us our you your he him his she her they them their ' +
    'is are was were be been being am do does did done doing have has had having will would shall should can could ' +
    'may might must of in on at by for with from to into onto over under about as than then there here ' +
    'what which who whom whose why how when where so because since cause cuz coz and or if also too very really ' +
    'just quite some any much many s t d ll re ve m yes yeah yep ok okay well like maybe perhaps probably think ' +
    'something stuff thing things anything everything nothing someone somehow somewhat etc whatever kind sort lot lots ' +
    'get got one way answer question know sure remember idea clue'
  ).split(' '),
);
/** Words that are no answer at all: typed to get past a question. */
const JUNK_WORDS = new Set(
  (
    'idk dunno asdf asdfg asdfgh asdfghjkl qwer qwert qwerty qwertz azerty zxcv zxcvb hjkl jkl fdsa sdf dfg ghj ' +
    'lol blah bla meh hmm hmmm umm um uh eh xd xx xxx lorem ipsum foo bar baz abc abcd xyz idc nope'
  ).split(' '),
);
/** Whole answers that are no answer, once reduced to their words. */
const NON_ANSWERS = new Set([
  'idk',
  'i dont know',
  "i don't know",
  'dont know',
  "don't know",
  'i do not know',
  'do not know',
  'no idea',
  'i have no idea',
  'not sure',
  "i'm not sure",
  'i m not sure',
  'im not sure',
  'no clue',
  'dunno',
  'nothing',
  'none',
  'pass',
  'skip',
  'test',
  'testing',
  'asdf',
  'whatever',
  'no comment',
  'n a',
  'na',
  'nope',
  'hello',
  'hi',
  'help',
  'no',
  'yes',
  'ok',
  'okay',
  'idk sorry',
  'sorry',
  'sorry idk',
  "i can't remember",
  'cant remember',
  "can't remember",
  'i forgot',
  'forgot',
]);

const VOWELS = /[aeiouy]/;

/** A word typed by hitting keys: no vowel in five or more letters, one character repeated, `hahaha`, `asdasd`. */
function isMash(word: string): boolean {
  if (HAS_DIGIT.test(word)) return false;
  if (word.length >= 5 && !VOWELS.test(word)) return true;
  if (word.length >= 3 && /^(.)\1+$/u.test(word)) return true;
  if (word.length >= 6 && /^(.{2,3})\1+$/u.test(word)) return true;
  return false;
}

/** Distinct words of an answer that carry content (not stop words, negators, or keyboard mash). */
export function contentWords(tokens: readonly Token[]): string[] {
  const seen = new Set<string>();
  for (const t of tokens) {
    const w = t.word;
    if (STOP_WORDS.has(w) || JUNK_WORDS.has(w) || isNegator(w) || isMash(w)) continue;
    seen.add(w);
  }
  return [...seen];
}

/** Marks of an answer that says it does not know: then the question's own words do not count as content. */
const HEDGE_WORDS = new Set(['idk', 'dunno', 'idc']);
const HEDGE_PHRASES = [" don't know ", ' dont know ', ' do not know ', ' no idea ', ' not sure ', ' no clue '];

function hedged(tokens: readonly Token[]): boolean {
  if (tokens.some((t) => HEDGE_WORDS.has(t.word))) return true;
  const plain = ` ${tokens.map((t) => t.word).join(' ')} `;
  return HEDGE_PHRASES.some((p) => plain.includes(p));
}

/** What `noContent` may take into account besides the words. */
export interface ContentOptions {
  /** The question, whose words do not count in an answer that says it does not know ("idk what a residual is"). */
  prompt?: string;
  /**
   * Whether an answer must be a sentence, not a bare list of words (default true; false for review questions,
   * where an instructor reads it). Never asked of a name/term question (`minWords` 1).
   */
  sentence?: boolean;
}

/**
 * Words that make a few words a statement: function words (beyond the stop words), and verbs a student explains
 * with. A bare list of nouns has none: "bootstrap interval flux bias". Nouns of the course that are also verbs
 * (record, sample, test, fit, split, scale, bias, drift, …) are left out, so that their plurals read as nouns.
 */
const LINK_WORDS = new Set(
  (
    'between during minus plus times per vs versus via w without within through across after before while until ' +
    'unless against among along around behind below above beyond near off out up down each every all both only ' +
    'more less most least same other another such whereas though although however therefore thus hence whether ' +
    'either else instead rather even still already always often sometimes usually again almost nearly not'
  ).split(' '),
);
const VERB_BASES = (
  'make give take show use see know learn miss cover include capture consider handle depend grow increase ' +
  'decrease reduce change vary differ favour favor prefer inflate overestimate underestimate dominate outweigh leak ' +
  'cheat memorize memorise remember predict explain follow hide smooth flatten fill interpolate extrapolate repeat ' +
  'reuse share slide connect need help allow let keep lose find become turn stay remain say tell compare contain ' +
  'ignore saturate correlate assume treat count weigh matter decide determine control drive pull drag mix happen ' +
  'occur cause come go look seem appear work fail break belong represent reflect generalize generalise overfit ' +
  'underfit put call try want stop start shrink halve rise fall drop lie leave enter pass carry move reach read ' +
  'overlap resemble underestimate straighten linearize linearise stabilize stabilise equalize equalise balance ' +
  'detect recognize recognise classify confuse mislead hurt improve worsen affect influence'
).split(' ');
/** Base forms above that are as often nouns in a list ("use", "change", "overlap"); their -s, -ed, -ing forms count. */
const NOUN_LIKE = new Set(
  'change control count cover mix work use balance influence matter cause break start overlap increase decrease share drop rise fall lie read look call help need turn fill pass move reach show repeat drive slide try stop'.split(
    ' ',
  ),
);
const VERB_IRREGULAR =
  'made gave given took taken showed shown saw seen knew known learnt grew grown hid hidden let kept lost found became went gone came said told drove driven fell fallen rose risen lay left read brought thought put'.split(
    ' ',
  );
/** Forms of the verbs above: base, -s, -es, -ies, -ed, -ied, -ing, with a final e dropped or a consonant doubled. */
const VERB_FORMS = new Set([...VERB_IRREGULAR, ...VERB_BASES.flatMap(verbForms)].filter((w) => !NOUN_LIKE.has(w)));
function verbForms(b: string): string[] {
  const forms = [b, `${b}s`, `${b}es`, `${b}ed`, `${b}ing`, `${b}d`];
  if (b.endsWith('e')) forms.push(`${b.slice(0, -1)}ing`);
  if (b.endsWith('y')) forms.push(`${b.slice(0, -1)}ies`, `${b.slice(0, -1)}ied`);
  if (/[^aeiou][aeiou][bdgklmnprt]$/.test(b)) forms.push(`${b}${b.at(-1)}ed`, `${b}${b.at(-1)}ing`);
  return forms;
}

/**
 * Words from which an answer with no function word or verb is a list. Three nouns are often one noun phrase
 * ("power law relation", "temporal autocorrelation leakage"); four rarely are ("bootstrap interval flux bias").
 */
const LIST_MIN_WORDS = 4;

/** Whether an answer of four or more words is only a list: no function word, verb, negator or sign among them. */
export function isWordList(tokens: readonly Token[]): boolean {
  if (tokens.length < LIST_MIN_WORDS || formulas.has(tokens)) return false;
  for (const t of tokens) {
    const w = t.word;
    if (STOP_WORDS.has(w) || LINK_WORDS.has(w) || isNegator(w) || VERB_FORMS.has(w)) return false;
    // A participle or past tense ("shuffled folds leak", "observed minus fitted"), not "speed" or "hundred".
    if (w.length >= 5 && w.endsWith('ed') && !w.endsWith('eed') && w !== 'hundred') return false;
  }
  return true;
}

/**
 * Why an answer cannot be graded (a sentence for the student), or null when it has enough content.
 * `minWords` is the number of distinct content words it needs.
 */
export function noContent(tokens: readonly Token[], minWords: number, options: ContentOptions = {}): string | null {
  const plain = tokens.map((t) => t.word).join(' ');
  const nonAnswer = tokens.length === 0 || NON_ANSWERS.has(plain);
  let content = nonAnswer ? [] : contentWords(tokens);
  if (content.length > 0 && options.prompt !== undefined && hedged(tokens)) {
    const asked = new Set(contentWords(tokenize(options.prompt)));
    content = content.filter((w) => !asked.has(w));
  }
  const count = content.length;
  const notCounted = 'This one is not counted as a try.';
  if (count >= minWords) {
    if (minWords >= 2 && options.sentence !== false && isWordList(tokens))
      return `Answer in a sentence, not a list of words: say how they are linked (a guess is fine). ${notCounted}`;
    return null;
  }
  if (minWords <= 1) return `Answer with a name or a few words that say what you mean (a guess is fine). ${notCounted}`;
  if (nonAnswer || count === 0) return `Answer in a sentence, in your own words (a guess is fine). ${notCounted}`;
  return `Answer in a sentence: ${count === 1 ? 'one word is' : 'a few words are'} not enough; say what you mean in full (a guess is fine). ${notCounted}`;
}
