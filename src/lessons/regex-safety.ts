// Lesson regexes (`pattern:`, `wrong: /…/`) are written by authors but run on student answers. JavaScript's
// backtracking engine can take exponential time on `/^(a+)+$/` and seconds on `/\s*\s*x/` with 2,000 spaces, so
// lesson regexes are (1) checked when a lesson is read, refusing the constructs that backtrack badly, and (2) run
// on a linear-time engine here (a Pike VM over a Thompson NFA), on the first 2,000 characters of the answer.
// Each character test is delegated to a one-character JavaScript regex, so classes, escapes, `\p{…}` and case
// folding mean exactly what they mean in JavaScript.

/** Regexes see at most this many characters (UTF-16 units) of an answer. */
export const REGEX_INPUT_LIMIT = 2000;
/** More unbounded quantifiers (`*`, `+`, `{n,}`) than this in one pattern is refused. */
export const MAX_UNBOUNDED = 3;
/** The largest bound of a `{n,m}` quantifier (the NFA repeats its atom m times). */
const MAX_BOUND = 100;
/** NFA states allowed for one pattern: a bound on the work per character. */
const MAX_STATES = 4000;

type Node =
  | { t: 'char'; src: string }
  | { t: 'assert'; kind: 'bol' | 'eol' | 'word' | 'nonword' }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'group'; body: Node }
  | { t: 'repeat'; body: Node; min: number; max: number };

class Refused extends Error {}

/** Parses a JavaScript regex source (already accepted by `new RegExp`) into the subset this engine runs. */
class Parser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly unicode: boolean,
    private readonly sets = false,
  ) {}

  parse(): Node {
    const n = this.alternation();
    if (this.i < this.s.length) throw new Refused(`unexpected \`${this.s[this.i]}\``);
    return n;
  }

  private alternation(): Node {
    const items = [this.sequence()];
    while (this.s[this.i] === '|') {
      this.i++;
      items.push(this.sequence());
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') {
      const atom = this.atom();
      const q = atom.t === 'assert' ? null : this.quantifier();
      items.push(q ? { t: 'repeat', body: atom, min: q.min, max: q.max } : atom);
    }
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }

  private quantifier(): { min: number; max: number } | null {
    const c = this.s[this.i];
    let q: { min: number; max: number } | null = null;
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.i));
      if (!m) return null; // a literal `{` (allowed by JavaScript outside u mode): the atom reads it
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (min > MAX_BOUND || (max !== Infinity && max > MAX_BOUND)) throw new Refused(`a repetition count above ${MAX_BOUND}`);
      this.i += m[0].length - 1;
      q = { min, max };
    }
    if (!q) return null;
    this.i++;
    if (this.s[this.i] === '?') this.i++; // lazy or greedy: the same for a yes/no match
    return q;
  }

  private atom(): Node {
    const s = this.s;
    const start = this.i;
    const c = s[this.i]!;
    if (c === '^' || c === '$') {
      this.i++;
      return { t: 'assert', kind: c === '^' ? 'bol' : 'eol' };
    }
    if (c === '(') {
      this.i++;
      if (s.startsWith('?=', this.i) || s.startsWith('?!', this.i) || s.startsWith('?<=', this.i) || s.startsWith('?<!', this.i)) {
        throw new Refused('a lookaround (`(?=…)`, `(?!…)`)');
      }
      if (s.startsWith('?:', this.i)) this.i += 2;
      else if (s.startsWith('?<', this.i)) this.i = s.indexOf('>', this.i) + 1;
      const body = this.alternation();
      if (s[this.i] !== ')') throw new Refused('an unclosed group');
      this.i++;
      return { t: 'group', body };
    }
    if (c === '[') {
      this.i++;
      // `[]` is an empty class in JavaScript; in v mode classes nest (`[[a-z]--[aeiou]]`).
      let depth = 1;
      while (this.i < s.length && depth > 0) {
        const d = s[this.i]!;
        if (d === '\\') this.i++;
        else if (d === '[' && this.sets) depth++;
        else if (d === ']') depth--;
        this.i++;
      }
      return { t: 'char', src: s.slice(start, this.i) };
    }
    if (c === '\\') {
      const d = s[this.i + 1] ?? '';
      if (d === 'b' || d === 'B') {
        this.i += 2;
        return { t: 'assert', kind: d === 'b' ? 'word' : 'nonword' };
      }
      if (/[1-9]/.test(d) || (d === 'k' && s[this.i + 2] === '<')) throw new Refused('a backreference (`\\1`, `\\k<name>`)');
      let end = this.i + 2;
      if ((d === 'p' || d === 'P') && this.unicode && s[end] === '{') end = s.indexOf('}', end) + 1;
      else if (d === 'u' && s[end] === '{') end = s.indexOf('}', end) + 1;
      else if (d === 'u' && /^[0-9a-fA-F]{4}/.test(s.slice(end))) end += 4;
      else if (d === 'x' && /^[0-9a-fA-F]{2}/.test(s.slice(end))) end += 2;
      else if (d === 'c' && /[A-Za-z]/.test(s[end] ?? '')) end += 1;
      this.i = end;
      return { t: 'char', src: s.slice(start, end) };
    }
    // A literal character (a whole code point in u mode, so a surrogate pair stays one atom).
    const cp = this.unicode ? String.fromCodePoint(s.codePointAt(this.i)!) : c;
    this.i += cp.length;
    return { t: 'char', src: cp === '.' ? '.' : cp };
  }
}

/** What the safety check reports about a pattern's structure. */
function structuralProblem(root: Node): string | null {
  let unbounded = 0;
  let problem: string | null = null;
  const hasQuantifier = (n: Node): boolean =>
    n.t === 'repeat' || (n.t === 'seq' || n.t === 'alt' ? n.items.some(hasQuantifier) : n.t === 'group' ? hasQuantifier(n.body) : false);
  const hasAlternation = (n: Node): boolean =>
    n.t === 'alt' || (n.t === 'seq' ? n.items.some(hasAlternation) : n.t === 'group' || n.t === 'repeat' ? hasAlternation(n.body) : false);
  const walk = (n: Node): void => {
    if (n.t === 'repeat') {
      if (n.max === Infinity) unbounded++;
      if (n.max > 1 && problem === null) {
        if (hasQuantifier(n.body)) problem = 'a quantifier inside a repeated group (nested quantifiers, like `(a+)+`)';
        else if (hasAlternation(n.body)) problem = 'an alternation inside a repeated group (like `(a|b)*`)';
      }
      walk(n.body);
    } else if (n.t === 'seq' || n.t === 'alt') n.items.forEach(walk);
    else if (n.t === 'group') walk(n.body);
  };
  walk(root);
  if (problem !== null) return problem;
  if (unbounded > MAX_UNBOUNDED) return `${unbounded} unbounded quantifiers (\`*\`, \`+\`, \`{n,}\`; at most ${MAX_UNBOUNDED})`;
  return null;
}

/**
 * Why a lesson regex is refused, or null when it is safe: nested quantifiers, a repeated group holding an
 * alternation, backreferences, lookarounds, more than three unbounded quantifiers, huge repetition counts.
 * The message completes "pattern `/…/` is refused: …".
 */
export function regexProblem(source: string, flags: string): string | null {
  try {
    const root = new Parser(source, flags.includes('u') || flags.includes('v'), flags.includes('v')).parse();
    const p = structuralProblem(root);
    if (p !== null) return `${p} can take exponential time on a crafted answer; write it without, or use a \`match:\` expression`;
    if (countStates(root) > MAX_STATES) return 'the pattern is too large; split it into several `pattern:` lines';
    return null;
  } catch (e) {
    if (e instanceof Refused) return `${e.message} is not allowed in lesson patterns; use a \`match:\` expression instead`;
    throw e;
  }
}

function countStates(n: Node): number {
  switch (n.t) {
    case 'char':
    case 'assert':
      return 1;
    case 'group':
      return countStates(n.body);
    case 'seq':
    case 'alt':
      return n.items.reduce((s, x) => s + countStates(x), 0) + n.items.length;
    case 'repeat':
      return (countStates(n.body) + 1) * Math.max(1, n.max === Infinity ? n.min + 1 : n.max);
  }
}

// ---- The linear-time engine ----

// biome-ignore lint/suspicious/noConstEnum: used in this file only, where tsc inlines it into the matcher's inner loop
const enum Op {
  Char,
  Split,
  Assert,
  Match,
}

interface State {
  op: Op;
  /** Char: index of its tester; Assert: the assertion. */
  arg: number;
  out: number;
  out2: number;
}

const ASSERTS = ['bol', 'eol', 'word', 'nonword'] as const;

interface Compiled {
  states: State[];
  start: number;
  testers: Array<(ch: string) => boolean>;
  unicode: boolean;
  multiline: boolean;
}

function compile(source: string, flags: string): Compiled {
  const unicode = flags.includes('u') || flags.includes('v');
  const root = new Parser(source, unicode, flags.includes('v')).parse();
  const states: State[] = [];
  const testers: Array<(ch: string) => boolean> = [];
  const testerIndex = new Map<string, number>();
  // Testers never see `^`/`$`/lastIndex: one-character regexes with the pattern's own i, s, u flags.
  const charFlags = flags.replace(/[^isuv]/g, '');
  const tester = (src: string): number => {
    let k = testerIndex.get(src);
    if (k === undefined) {
      const re = new RegExp(`^(?:${src})$`, charFlags);
      const cache = new Map<string, boolean>();
      testers.push((ch) => {
        let r = cache.get(ch);
        if (r === undefined) cache.set(ch, (r = re.test(ch)));
        return r;
      });
      k = testers.length - 1;
      testerIndex.set(src, k);
    }
    return k;
  };
  const add = (op: Op, arg = 0, out = -1, out2 = -1): number => states.push({ op, arg, out, out2 }) - 1;

  // Fragment: an entry state and the list of dangling exits to patch (state index, which out).
  type Frag = { start: number; outs: Array<[number, 1 | 2]> };
  const patch = (outs: Frag['outs'], to: number): void => {
    for (const [s, w] of outs) {
      if (w === 1) states[s]!.out = to;
      else states[s]!.out2 = to;
    }
  };
  const empty = (): Frag => {
    const s = add(Op.Split);
    states[s]!.out2 = -2; // never taken
    return { start: s, outs: [[s, 1]] };
  };
  const build = (n: Node): Frag => {
    switch (n.t) {
      case 'char': {
        const s = add(Op.Char, tester(n.src));
        return { start: s, outs: [[s, 1]] };
      }
      case 'assert': {
        const s = add(Op.Assert, ASSERTS.indexOf(n.kind));
        return { start: s, outs: [[s, 1]] };
      }
      case 'group':
        return build(n.body);
      case 'seq': {
        if (n.items.length === 0) return empty();
        const first = build(n.items[0]!);
        let outs = first.outs;
        for (const item of n.items.slice(1)) {
          const f = build(item);
          patch(outs, f.start);
          outs = f.outs;
        }
        return { start: first.start, outs };
      }
      case 'alt': {
        const frags = n.items.map(build);
        let start = frags[frags.length - 1]!.start;
        for (let k = frags.length - 2; k >= 0; k--) start = add(Op.Split, 0, frags[k]!.start, start);
        return { start, outs: frags.flatMap((f) => f.outs) };
      }
      case 'repeat': {
        // min mandatory copies, then (max − min) optional ones, or a loop when unbounded.
        const parts: Frag[] = [];
        for (let k = 0; k < n.min; k++) parts.push(build(n.body));
        if (n.max === Infinity) {
          const body = build(n.body);
          const loop = add(Op.Split, 0, body.start, -1);
          patch(body.outs, loop);
          parts.push({ start: loop, outs: [[loop, 2]] });
        } else {
          for (let k = n.min; k < n.max; k++) {
            const body = build(n.body);
            const opt = add(Op.Split, 0, body.start, -1);
            parts.push({ start: opt, outs: [...body.outs, [opt, 2]] });
          }
        }
        if (parts.length === 0) return empty();
        for (let k = 0; k + 1 < parts.length; k++) patch(parts[k]!.outs, parts[k + 1]!.start);
        return { start: parts[0]!.start, outs: parts[parts.length - 1]!.outs };
      }
    }
  };
  const frag = build(root);
  const match = add(Op.Match);
  patch(frag.outs, match);
  return { states, start: frag.start, testers, unicode, multiline: flags.includes('m') };
}

const LINE_END = /[\n\r\u2028\u2029]/;
const WORD = /\w/;

/** Runs the NFA over `text` (a whole-text search, like `RegExp.test`): O(text length × states). */
function run(c: Compiled, text: string): boolean {
  const chars = c.unicode ? Array.from(text) : text.split('');
  const n = chars.length;
  const mark = new Int32Array(c.states.length).fill(-1);
  let current: number[] = [];
  let next: number[] = [];
  let gen = 0;
  const isWord = (k: number): boolean => k >= 0 && k < n && WORD.test(chars[k]!);
  const holds = (kind: number, pos: number): boolean => {
    switch (ASSERTS[kind]) {
      case 'bol':
        return pos === 0 || (c.multiline && LINE_END.test(chars[pos - 1]!));
      case 'eol':
        return pos === n || (c.multiline && LINE_END.test(chars[pos]!));
      case 'word':
        return isWord(pos - 1) !== isWord(pos);
      default:
        return isWord(pos - 1) === isWord(pos);
    }
  };
  // Adds a state and everything reachable from it without reading a character; true when Match is reached.
  const stack: number[] = [];
  const addState = (list: number[], s0: number, pos: number): boolean => {
    stack.push(s0);
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (s < 0 || mark[s] === gen) continue;
      mark[s] = gen;
      const st = c.states[s]!;
      if (st.op === Op.Match) {
        stack.length = 0;
        return true;
      }
      if (st.op === Op.Split) {
        stack.push(st.out2, st.out);
      } else if (st.op === Op.Assert) {
        if (holds(st.arg, pos)) stack.push(st.out);
      } else list.push(s);
    }
    return false;
  };
  for (let pos = 0; pos <= n; pos++) {
    // Unanchored search: a new attempt starts at every position. Same generation as the step that filled
    // `current`: its closure was computed at this position, so nothing is added twice.
    if (addState(current, c.start, pos)) return true;
    if (pos === n) break;
    gen++;
    next.length = 0;
    const ch = chars[pos]!;
    for (const s of current) {
      const st = c.states[s]!;
      if (c.testers[st.arg]!(ch) && addState(next, st.out, pos + 1)) return true;
    }
    [current, next] = [next, current];
  }
  return false;
}

const compiledCache = new WeakMap<RegExp, Compiled>();

/**
 * `re.test(text)` in linear time, case-insensitively (lesson patterns always are), on the first
 * `REGEX_INPUT_LIMIT` characters. A regex the engine cannot run (refused by `regexProblem`, so never in a lesson
 * that loaded) matches nothing.
 */
export function safeRegexTest(re: RegExp, text: string): boolean {
  let c = compiledCache.get(re);
  if (c === undefined) {
    try {
      const flags = re.flags.includes('i') ? re.flags : `${re.flags}i`;
      c = compile(re.source, flags);
    } catch {
      c = { states: [], start: -1, testers: [], unicode: false, multiline: false };
    }
    compiledCache.set(re, c);
  }
  if (c.start < 0) return false;
  return run(c, text.slice(0, REGEX_INPUT_LIMIT));
}
