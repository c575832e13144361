// Reads a lesson file (front matter, then `:::page`, `:::experiment` and `:::question` blocks) into a Lesson,
// collecting every problem with its line rather than stopping at the first. The format is in lessons/README.md.
import type {
  ChoiceOption,
  ExperimentStep,
  Lesson,
  LessonProblem,
  NumericAnswer,
  PageStep,
  QuestionKind,
  QuestionStep,
  RunSelector,
  Step,
  Tolerance,
  WrongAnswer,
} from './types.js';
import { readNumber } from './numbers.js';
import { findUnit, knownUnits } from './units.js';
import { validateLesson } from './validate.js';
import type { CheckOptions } from './text-check.js';
import { regexProblem } from './regex-safety.js';
import { parseMatch, parseSynonyms, synonymNames, type MatchRule } from './text-match.js';

/** The result of parsing one lesson file. */
export interface ParseResult {
  /** The lesson, or null when any problem was found (a half-valid lesson would mislead the grader). */
  lesson: Lesson | null;
  /** Every problem found, syntax and semantic (`validateLesson`), in line order. */
  problems: LessonProblem[];
}

/** Block kinds a lesson may hold. */
export const BLOCK_KINDS = ['page', 'experiment', 'question'] as const;

/** Question types, as written after `type:`. */
export const QUESTION_TYPES: readonly QuestionKind[] = ['single', 'multiple', 'numeric', 'text', 'predict'];

/** Front-matter fields; the first four are required. */
export const FRONT_MATTER_FIELDS = ['id', 'session', 'title', 'summary', 'dataset'] as const;

/** The fields of text questions beyond `answer:`, `pattern:` and `wrong:` (lessons/README.md). */
const TEXT_FIELDS = ['grading', 'match', 'synonyms', 'accept', 'refuse', 'min-words'] as const;

/** Fields of each block kind, and which of them may be repeated. */
const BLOCK_FIELDS: Record<(typeof BLOCK_KINDS)[number], readonly string[]> = {
  page: ['id'],
  experiment: ['title', 'task', 'defaults', 'choose'],
  question: ['type', 'answer', 'tolerance', 'pattern', 'wrong', 'hint', 'explain', 'attempts', 'experiment', 'run', 'unit', ...TEXT_FIELDS],
};
const REPEATABLE = new Set(['choose', 'pattern', 'wrong', 'hint', 'match', 'synonyms', 'accept', 'refuse']);

/** Which question fields apply to which question type (`type` itself applies to all). */
const QUESTION_FIELDS: Record<QuestionKind, readonly string[]> = {
  single: ['hint', 'explain', 'attempts'],
  multiple: ['hint', 'explain', 'attempts'],
  numeric: ['answer', 'tolerance', 'wrong', 'hint', 'explain', 'attempts', 'run', 'unit'],
  text: ['answer', 'pattern', 'wrong', 'hint', 'explain', 'attempts', ...TEXT_FIELDS],
  // A prediction is committed once, before the run: there is nothing to retry, so no hints or attempts.
  predict: ['answer', 'tolerance', 'wrong', 'explain', 'experiment', 'run', 'unit'],
};

/** Default number of wrong attempts before the answer is revealed. */
export const DEFAULT_ATTEMPTS = 3;

/** Ids of experiments and questions: a word usable in `=id.key` references (so no dots). */
export const STEP_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

interface Line {
  text: string;
  n: number;
}

interface Field {
  key: string;
  value: string;
  line: number;
}

const OPENER = /^:::\s*([^\s:][^\s]*)?\s*(.*?)\s*$/;
const CLOSER = /^:::\s*$/;
const FIELD = /^([a-z][a-z0-9_-]*):(?:[ \t]+(.*?))?\s*$/;
const CHOICE = /^[-*+] \[( |x|X)\] (.*)$/;
const CHOICE_LIKE = /^[-*+]\s*\[[^\]]*\]/;
const FENCE = /^\s*(```|~~~)/;

/** Parses a lesson file's text; `file` is used in problems and stored in the lesson. */
export function parseLesson(text: string, file: string, options: CheckOptions = {}): ParseResult {
  const problems: LessonProblem[] = [];
  const report = (line: number, message: string): void => {
    problems.push({ file, line, message });
  };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);

  const front = parseFrontMatter(lines, report);
  const steps: Step[] = [];
  let pageCount = 0;

  let i = front.end;
  let strayReported = false;
  while (i < lines.length) {
    const raw = lines[i]!;
    const n = i + 1;
    if (raw.trim() === '') {
      strayReported = false;
      i++;
      continue;
    }
    if (raw.trimStart().startsWith('<!--')) {
      i = skipComment(lines, i, report);
      continue;
    }
    const opener = raw.startsWith(':::') ? OPENER.exec(raw) : null;
    if (!opener) {
      if (!strayReported) {
        report(n, `text outside a block: \`${excerpt(raw)}\` (blocks open with \`:::page\`, \`:::experiment\` or \`:::question\` and close with \`:::\`)`);
        strayReported = true;
      }
      i++;
      continue;
    }
    strayReported = false;
    if (CLOSER.test(raw)) {
      report(n, '`:::` closes no open block');
      i++;
      continue;
    }
    const kind = opener[1]!;
    const header = opener[2] ?? '';
    // Collect the block's lines up to its closing `:::`; a `:::` inside a fenced code sample is text.
    const body: Line[] = [];
    let j = i + 1;
    let fenced = false;
    let closed = false;
    while (j < lines.length) {
      const t = lines[j]!;
      if (FENCE.test(t)) fenced = !fenced;
      if (!fenced && CLOSER.test(t)) {
        closed = true;
        break;
      }
      if (!fenced && t.startsWith(':::') && OPENER.test(t)) break; // the next block: this one was never closed
      body.push({ text: t, n: j + 1 });
      j++;
    }
    if (!closed) report(n, `block \`${excerpt(raw)}\` is not closed: end it with a line \`:::\``);
    i = closed ? j + 1 : j;

    if (kind === 'page') {
      pageCount++;
      steps.push(parsePage(header, body, n, pageCount, report));
    } else if (kind === 'experiment') {
      steps.push(parseExperiment(header, body, n, report));
    } else if (kind === 'question') {
      steps.push(parseQuestion(header, body, n, report));
    } else {
      report(n, `unknown block kind \`${kind}\` (expected page, experiment or question)`);
    }
  }

  const lesson: Lesson = {
    id: front.values.id ?? '',
    session: front.session,
    title: front.values.title ?? '',
    summary: front.values.summary ?? '',
    file,
    fieldLines: front.lines,
    steps,
  };
  if (front.values.dataset !== undefined) lesson.dataset = front.values.dataset;
  labelRuns(steps);
  problems.push(...validateLesson(lesson, options));
  problems.sort((a, b) => a.line - b.line);
  return { lesson: problems.length === 0 ? lesson : null, problems };
}

function excerpt(s: string): string {
  const t = s.trim();
  return t.length > 40 ? `${t.slice(0, 39)}…` : t;
}

/** Skips an HTML comment starting at line i; returns the index of the line after it. */
function skipComment(lines: string[], i: number, report: (line: number, message: string) => void): number {
  for (let j = i; j < lines.length; j++) {
    const t = lines[j]!;
    const from = j === i ? t.indexOf('<!--') + 4 : 0;
    const end = t.indexOf('-->', from);
    if (end >= 0) {
      const after = t.slice(end + 3).trim();
      if (after !== '') report(j + 1, `text after a comment: \`${excerpt(after)}\` (put it on its own line, inside a block)`);
      return j + 1;
    }
  }
  report(i + 1, 'comment `<!--` is not closed with `-->`');
  return lines.length;
}

interface FrontMatter {
  values: Partial<Record<(typeof FRONT_MATTER_FIELDS)[number], string>>;
  session: number;
  lines: Record<string, number>;
  /** Index of the first line after the front matter. */
  end: number;
}

function parseFrontMatter(lines: string[], report: (line: number, message: string) => void): FrontMatter {
  const fm: FrontMatter = { values: {}, session: Number.NaN, lines: {}, end: 0 };
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  if (i >= lines.length || lines[i]!.trim() !== '---') {
    report(i < lines.length ? i + 1 : 1, 'a lesson starts with front matter: a `---` line, `id:`, `session:`, `title:`, `summary:`, then `---`');
    fm.end = i;
    return fm;
  }
  fm.lines.frontMatter = i + 1;
  const fields: Field[] = [];
  let j = i + 1;
  for (; j < lines.length; j++) {
    const t = lines[j]!;
    if (t.trim() === '---') break;
    if (t.trim() === '') continue;
    const last = fields[fields.length - 1];
    if (last && /^ {2}\S/.test(t) && lines[j - 1]!.trim() !== '') {
      last.value = last.value === '' ? t.trim() : `${last.value} ${t.trim()}`;
      continue;
    }
    const m = FIELD.exec(t);
    if (!m) {
      report(j + 1, `front matter holds \`key: value\` lines, got \`${excerpt(t)}\``);
      continue;
    }
    fields.push({ key: m[1]!, value: m[2] ?? '', line: j + 1 });
  }
  if (j >= lines.length) {
    report(i + 1, 'front matter is not closed: end it with a line `---`');
    fm.end = lines.length;
  } else {
    fm.end = j + 1;
  }
  for (const f of fields) {
    if (!(FRONT_MATTER_FIELDS as readonly string[]).includes(f.key)) {
      report(f.line, `unknown front-matter field \`${f.key}\` (expected ${FRONT_MATTER_FIELDS.join(', ')})`);
      continue;
    }
    const key = f.key as (typeof FRONT_MATTER_FIELDS)[number];
    if (fm.values[key] !== undefined) {
      report(f.line, `front-matter field \`${key}\` given twice (first on line ${fm.lines[key]})`);
      continue;
    }
    fm.values[key] = f.value;
    fm.lines[key] = f.line;
  }
  const session = fm.values.session;
  if (session !== undefined) {
    if (/^[+-]?\d+(\.\d+)?$/.test(session)) fm.session = Number(session);
    else report(fm.lines.session!, `session must be an integer from 0 to 7, got \`${session}\``);
  }
  return fm;
}

/**
 * Splits a block's lines into its leading `key: value` fields and its body. Leading blank lines are skipped; the
 * first line that is neither a field nor a field's continuation (indented by two spaces) starts the body.
 */
function splitFields(lines: Line[], isField: (key: string) => boolean): { fields: Field[]; body: Line[] } {
  const fields: Field[] = [];
  let k = 0;
  while (k < lines.length && lines[k]!.text.trim() === '') k++;
  for (; k < lines.length; k++) {
    const { text, n } = lines[k]!;
    const last = fields[fields.length - 1];
    if (last && /^ {2}/.test(text) && text.trim() !== '') {
      const cont = text.slice(2);
      last.value = last.value === '' ? cont : `${last.value}\n${cont}`;
      continue;
    }
    const m = FIELD.exec(text);
    if (!m || !isField(m[1]!)) break;
    fields.push({ key: m[1]!, value: m[2] ?? '', line: n });
  }
  return { fields, body: lines.slice(k) };
}

/** Removes `<!-- … -->` comments (outside fenced code) from body lines: notes for instructors, not for students. */
function stripComments(lines: Line[]): Line[] {
  const out: Line[] = [];
  let fenced = false;
  let inComment = false;
  for (const l of lines) {
    if (!inComment && FENCE.test(l.text)) fenced = !fenced;
    if (fenced) {
      out.push(l);
      continue;
    }
    let t = l.text;
    let kept = '';
    while (t !== '') {
      if (inComment) {
        const end = t.indexOf('-->');
        if (end < 0) {
          t = '';
        } else {
          inComment = false;
          t = t.slice(end + 3);
        }
      } else {
        const start = t.indexOf('<!--');
        if (start < 0) {
          kept += t;
          t = '';
        } else {
          kept += t.slice(0, start);
          inComment = true;
          t = t.slice(start + 4);
        }
      }
    }
    // A line that held only a comment disappears, rather than leaving a blank that would split a paragraph.
    if (kept.trim() !== '' || l.text.trim() === '') out.push({ text: kept.trimEnd(), n: l.n });
  }
  return out;
}

function joinBody(lines: Line[]): string {
  const texts = lines.map((l) => l.text);
  while (texts.length > 0 && texts[0]!.trim() === '') texts.shift();
  while (texts.length > 0 && texts[texts.length - 1]!.trim() === '') texts.pop();
  return texts.join('\n');
}

type Report = (line: number, message: string) => void;

/** Checks fields against the kind's list and for repeats; returns the accepted ones and their lines. */
function acceptFields(fields: Field[], kind: (typeof BLOCK_KINDS)[number], report: Report): { fields: Field[]; lines: Record<string, number> } {
  const allowed = BLOCK_FIELDS[kind];
  const lines: Record<string, number> = {};
  const ok: Field[] = [];
  for (const f of fields) {
    if (!allowed.includes(f.key)) {
      report(f.line, `unknown field \`${f.key}\` for ${kind === 'experiment' ? 'an' : 'a'} ${kind} (expected ${allowed.join(', ')})`);
      continue;
    }
    if (lines[f.key] !== undefined && !REPEATABLE.has(f.key)) {
      report(f.line, `field \`${f.key}\` given twice (first on line ${lines[f.key]})`);
      continue;
    }
    lines[f.key] ??= f.line;
    ok.push(f);
  }
  return { fields: ok, lines };
}

/** Reports body lines that look like this kind's fields: fields only count at the top of a block. */
function reportLateFields(body: Line[], kind: (typeof BLOCK_KINDS)[number], report: Report): void {
  let fenced = false;
  for (const l of body) {
    if (FENCE.test(l.text)) fenced = !fenced;
    const m = fenced ? null : FIELD.exec(l.text);
    if (m && BLOCK_FIELDS[kind].includes(m[1]!)) {
      report(l.n, `field \`${m[1]}:\` inside the text: fields go at the top of the block, before the text`);
    }
  }
}

function parsePage(header: string, lines: Line[], line: number, index: number, report: Report): PageStep {
  // Only `id:` is a page field, so a page whose text starts with "note: …" keeps it as text.
  const { fields, body } = splitFields(lines, (key) => key === 'id');
  const { lines: fieldLines } = acceptFields(fields, 'page', report);
  const idField = fields.find((f) => f.key === 'id');
  if (header === '') report(line, 'a page needs a title: `:::page Title of the page`');
  if (idField && !STEP_ID.test(idField.value)) {
    report(idField.line, `step id \`${idField.value}\` must be letters, digits, \`-\` and \`_\` (no spaces or dots)`);
  }
  return { kind: 'page', id: idField?.value || `page-${index}`, line, fieldLines, title: header, body: joinBody(stripComments(body)) };
}

function parseExperiment(header: string, lines: Line[], line: number, report: Report): ExperimentStep {
  const id = blockId(header, 'experiment', line, report);
  // Every lower-case `word:` at the top is taken as a field, so a misspelt one (`tsak:`) is reported, not shown.
  const split = splitFields(lines, () => true);
  const { fields, lines: fieldLines } = acceptFields(split.fields, 'experiment', report);
  const body = stripComments(split.body);
  reportLateFields(body, 'experiment', report);
  const step: ExperimentStep = { kind: 'experiment', id, line, fieldLines, title: id, body: joinBody(body), task: '', defaults: {}, choices: {} };
  for (const f of fields) {
    switch (f.key) {
      case 'title':
        step.title = f.value;
        break;
      case 'task':
        step.task = f.value;
        break;
      case 'defaults':
        for (const token of f.value.split(/\s+/).filter((t) => t !== '')) {
          const m = /^([A-Za-z_][\w-]*)=(\S+)$/.exec(token);
          if (!m) report(f.line, `\`defaults:\` holds \`option=value\` pairs separated by spaces, got \`${token}\``);
          else if (step.defaults[m[1]!] !== undefined) report(f.line, `default \`${m[1]}\` given twice`);
          else step.defaults[m[1]!] = m[2]!;
        }
        break;
      case 'choose': {
        const m = /^([A-Za-z_][\w-]*)=(\S+)$/.exec(f.value.trim());
        const values = m ? m[2]!.split('|') : [];
        if (!m || values.some((v) => v === '')) {
          report(f.line, `\`choose:\` takes one option and its values, like \`model=linear|huber|ransac\`, got \`${f.value}\``);
        } else if (step.choices[m[1]!]) {
          report(f.line, `option \`${m[1]}\` is offered twice`);
        } else {
          step.choices[m[1]!] = values;
        }
        break;
      }
    }
  }
  return step;
}

function blockId(header: string, kind: string, line: number, report: Report): string {
  if (header === '') {
    report(line, `${kind === 'experiment' ? 'an' : 'a'} ${kind} needs an id: \`:::${kind} my-${kind}\``);
    return `${kind}-line-${line}`;
  }
  if (!STEP_ID.test(header)) {
    report(line, `${kind} id \`${header}\` must be one word of letters, digits, \`-\` and \`_\` (no spaces or dots)`);
  }
  return header;
}

function parseQuestion(header: string, lines: Line[], line: number, report: Report): QuestionStep {
  const id = blockId(header, 'question', line, report);
  const split = splitFields(lines, () => true);
  const { fields, lines: fieldLines } = acceptFields(split.fields, 'question', report);
  const body = stripComments(split.body);
  reportLateFields(body, 'question', report);

  // Choices are the `- [x]` / `- [ ]` lines of the body (outside code samples); the rest is the prompt.
  const options: ChoiceOption[] = [];
  const optionLines: number[] = [];
  const prompt: Line[] = [];
  let fenced = false;
  let afterChoice = false;
  for (const l of body) {
    if (FENCE.test(l.text)) fenced = !fenced;
    const m = fenced ? null : CHOICE.exec(l.text);
    const wasAfterChoice = afterChoice;
    afterChoice = false;
    if (m) {
      options.push(parseChoice(m[1]!, m[2]!));
      optionLines.push(l.n);
      afterChoice = true;
    } else if (wasAfterChoice && /^ {2,}\S/.test(l.text)) {
      // A long choice continued on an indented line: the text joins the choice (or its feedback, if begun).
      const last = options[options.length - 1]!;
      options[options.length - 1] = parseChoice(
        last.correct ? 'x' : ' ',
        `${last.text}${last.feedback !== undefined ? ` -> ${last.feedback}` : ''} ${l.text.trim()}`,
      );
      afterChoice = true;
    } else if (!fenced && CHOICE_LIKE.test(l.text)) {
      report(l.n, `malformed choice \`${excerpt(l.text)}\`: write \`- [x] right answer\` or \`- [ ] wrong answer -> feedback\``);
    } else {
      prompt.push(l);
    }
  }

  const typeField = fields.find((f) => f.key === 'type');
  let type: QuestionKind;
  if (typeField && (QUESTION_TYPES as readonly string[]).includes(typeField.value)) {
    type = typeField.value as QuestionKind;
  } else {
    if (typeField) report(typeField.line, `unknown question type \`${typeField.value}\` (expected ${QUESTION_TYPES.join(', ')})`);
    else report(line, `question \`${id}\` needs a \`type:\` (${QUESTION_TYPES.join(', ')})`);
    // Guess the intended type so the remaining checks stay relevant instead of cascading.
    const hasAnswer = fields.some((f) => f.key === 'answer');
    type =
      options.length > 0
        ? options.filter((o) => o.correct).length > 1
          ? 'multiple'
          : 'single'
        : fields.some((f) => f.key === 'pattern' || (TEXT_FIELDS as readonly string[]).includes(f.key))
          ? 'text'
          : hasAnswer
            ? 'numeric'
            : 'text';
  }

  const q: QuestionStep = {
    kind: 'question',
    id,
    line,
    fieldLines,
    type,
    prompt: joinBody(prompt),
    options: [],
    patterns: [],
    wrong: [],
    hints: [],
    explain: '',
    attempts: DEFAULT_ATTEMPTS,
  };
  if (options.length > 0) {
    if (type === 'numeric' || type === 'text') report(optionLines[0]!, `choices do not apply to a ${type} question`);
    else q.options = options;
  }
  if (type === 'text') Object.assign(q, { match: [], synonyms: {}, accept: [], refuse: [] });
  // Lines of the `@name` references, checked once every `synonyms:` field is read.
  const references: Array<{ rule: MatchRule; line: number }> = [];

  for (const f of fields) {
    if (f.key === 'type') continue;
    if (!QUESTION_FIELDS[type].includes(f.key)) {
      report(f.line, `field \`${f.key}\` does not apply to a ${type} question${fieldAdvice(f.key, type)}`);
      continue;
    }
    switch (f.key) {
      case 'answer':
        if (type === 'text') q.answerText = f.value;
        else {
          const a = parseNumericAnswer(f.value);
          if (typeof a === 'string') report(f.line, a);
          else q.answer = a;
        }
        break;
      case 'tolerance': {
        const t = parseTolerance(f.value);
        if (typeof t === 'string') report(f.line, t);
        else q.tolerance = t;
        break;
      }
      case 'pattern': {
        const r = parseRegex(f.value);
        if (typeof r === 'string') report(f.line, r);
        else if (r.rest.trim() !== '') report(f.line, `unexpected text after the pattern: \`${excerpt(r.rest)}\``);
        else q.patterns.push(r.regex);
        break;
      }
      case 'wrong': {
        const w = type === 'text' ? parseTextWrong(f.value) : parseWrong(f.value);
        if (typeof w === 'string') report(f.line, w);
        else {
          q.wrong.push(w);
          if (w.kind === 'match') references.push({ rule: w.rule, line: f.line });
        }
        break;
      }
      case 'grading':
        if (f.value === 'auto' || f.value === 'review') q.grading = f.value;
        else report(f.line, `grading must be \`auto\` or \`review\`, got \`${excerpt(f.value)}\``);
        break;
      case 'match': {
        const m = parseMatch(f.value);
        if (typeof m === 'string') report(f.line, `malformed match expression: ${m}`);
        else {
          m.line = f.line;
          q.match!.push(m);
          references.push({ rule: m, line: f.line });
        }
        break;
      }
      case 'synonyms': {
        const s = parseSynonyms(f.value);
        if (typeof s === 'string') report(f.line, s);
        else if (q.synonyms![s.name] !== undefined) report(f.line, `synonym list \`@${s.name}\` defined twice`);
        else q.synonyms![s.name] = s.alternatives;
        break;
      }
      case 'accept':
      case 'refuse': {
        const text = f.value.replace(/\s+/g, ' ').trim();
        if (text === '') report(f.line, `\`${f.key}:\` needs an example answer after it`);
        else (f.key === 'accept' ? q.accept : q.refuse)!.push({ text, line: f.line });
        break;
      }
      case 'min-words':
        if (/^\d+$/.test(f.value) && Number(f.value) >= 1 && Number(f.value) <= 50) q.minWords = Number(f.value);
        else report(f.line, `min-words must be an integer from 1 to 50, got \`${excerpt(f.value)}\``);
        break;
      case 'hint':
        q.hints.push(f.value);
        break;
      case 'explain':
        q.explain = f.value;
        break;
      case 'attempts':
        if (/^\d+$/.test(f.value) && Number(f.value) >= 1) q.attempts = Number(f.value);
        else report(f.line, `attempts must be a positive integer, got \`${f.value}\``);
        break;
      case 'experiment':
        q.experiment = f.value;
        break;
      case 'run': {
        const r = parseRunSelector(f.value);
        if (typeof r === 'string') report(f.line, r);
        else q.run = r;
        break;
      }
      case 'unit': {
        const u = findUnit(f.value);
        if (!u) report(f.line, `unknown unit \`${excerpt(f.value)}\` (known: ${knownUnits().join(', ')})`);
        else q.unit = u.symbol;
        break;
      }
    }
  }
  for (const { rule, line: at } of references) {
    for (const name of synonymNames(rule)) {
      if (q.synonyms?.[name] === undefined) report(at, `unknown synonym list \`@${name}\`: define it with \`synonyms: ${name} = term | term\``);
    }
  }
  return q;
}

/** A text question's `wrong:`: `/regex/ -> feedback` or `match expression -> feedback`; a message when malformed. */
export function parseTextWrong(value: string): WrongAnswer | string {
  const v = value.trim();
  if (v.startsWith('/')) return parseWrong(v);
  const arrow = v.indexOf(' -> ');
  if (arrow < 0 || v.slice(arrow + 4).trim() === '')
    return '`wrong:` needs an anticipated answer and its feedback: `wrong: random + split -> why this is wrong`';
  const rule = parseMatch(v.slice(0, arrow));
  if (typeof rule === 'string') return `malformed match expression: ${rule}`;
  return { kind: 'match', rule, feedback: v.slice(arrow + 4).trim() };
}

function fieldAdvice(key: string, type: QuestionKind): string {
  if ((type === 'single' || type === 'multiple') && (key === 'answer' || key === 'wrong')) {
    return ': mark right choices `- [x]` and give feedback after ` -> ` on a choice';
  }
  if (type === 'predict' && (key === 'hint' || key === 'attempts')) return ': a prediction is graded once, after the run';
  if (key === 'experiment') return ': only predict questions run an experiment';
  return '';
}

function parseChoice(mark: string, rest: string): ChoiceOption {
  const arrow = rest.indexOf(' -> ');
  const option: ChoiceOption = { text: (arrow >= 0 ? rest.slice(0, arrow) : rest).trim(), correct: mark !== ' ' };
  if (arrow >= 0) option.feedback = rest.slice(arrow + 4).trim();
  return option;
}

const REFERENCE = /^=([A-Za-z0-9][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_]*)$/;

/** `0.42`, `1/2`, `42%` or `=experiment-id.result_key`; a message when it is neither. */
export function parseNumericAnswer(value: string): NumericAnswer | string {
  const v = value.trim();
  if (v.startsWith('=')) {
    const m = REFERENCE.exec(v);
    return m ? { kind: 'result', step: m[1]!, key: m[2]! } : `answer reference \`${v}\` must look like \`=experiment-id.result_key\``;
  }
  const n = readNumber(v);
  if (n?.thousands !== undefined) return `numeric answer \`${v}\` is ambiguous: write \`${n.thousands}\` or \`${n.value}\``;
  return n ? { kind: 'literal', value: n.value } : `numeric answer \`${v}\` is not a number`;
}

/** `0.01` (absolute) or `5%` (relative); a message otherwise. */
export function parseTolerance(value: string): Tolerance | string {
  const n = readNumber(value);
  if (!n) return `tolerance \`${value}\` is not a number (absolute, like \`0.01\`) or a percentage (relative, like \`5%\`)`;
  if (n.thousands !== undefined) return `tolerance \`${value}\` is ambiguous: write \`${n.thousands}\` or \`${n.value}\``;
  if (n.value < 0) return `tolerance \`${value}\` must not be negative`;
  return { kind: n.percent ? 'relative' : 'absolute', value: n.value };
}

/**
 * Reads a `/regex/flags` literal at the start of `value`; returns it and the text after it, or a message.
 * The `g` and `y` flags are refused: they make `RegExp.test` remember its position between answers.
 */
export function parseRegex(value: string): { regex: RegExp; rest: string } | string {
  const v = value.trim();
  if (!v.startsWith('/')) return `a pattern is written \`/regex/flags\`, got \`${excerpt(v)}\``;
  let inClass = false;
  let end = -1;
  for (let k = 1; k < v.length; k++) {
    const c = v[k];
    if (c === '\\') k++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) {
      end = k;
      break;
    }
  }
  if (end < 0) return `pattern \`${excerpt(v)}\` has no closing \`/\``;
  const source = v.slice(1, end);
  const flags = /^[a-z]*/.exec(v.slice(end + 1))![0];
  const rest = v.slice(end + 1 + flags.length);
  if (/[gy]/.test(flags)) return `pattern flag \`${flags.replace(/[^gy]/g, '')}\` is not allowed (use i, m, s or u)`;
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (e) {
    return `invalid regular expression \`/${source}/${flags}\`: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
  // Patterns run on student answers: refuse the ones that can backtrack for minutes (regex-safety.ts).
  const unsafe = regexProblem(source, flags);
  if (unsafe !== null) return `pattern \`/${excerpt(source)}/\` is refused: ${unsafe}`;
  return { regex, rest };
}

/** `0.5 -> feedback`, `=exp.key -> feedback` or `/regex/i -> feedback`; a message when malformed. */
export function parseWrong(value: string): WrongAnswer | string {
  const v = value.trim();
  const missing = '`wrong:` needs an anticipated answer and its feedback: `wrong: 0.5 -> why this is wrong`';
  if (v.startsWith('/')) {
    const r = parseRegex(v);
    if (typeof r === 'string') return r;
    const m = /^\s+->\s+(\S.*)$/.exec(r.rest);
    return m ? { kind: 'pattern', pattern: r.regex, feedback: m[1]!.trim() } : missing;
  }
  const arrow = v.indexOf(' -> ');
  if (arrow < 0 || v.slice(arrow + 4).trim() === '') return missing;
  const feedback = v.slice(arrow + 4).trim();
  const a = parseNumericAnswer(v.slice(0, arrow));
  if (typeof a === 'string') return a.replace(/^numeric answer/, 'anticipated wrong answer');
  return a.kind === 'literal' ? { kind: 'numeric', value: a.value, feedback } : { kind: 'result', step: a.step, key: a.key, feedback };
}

/** `fit-linear model=ransac scale=log`: an experiment id, then `option=value` pairs; a message when malformed. */
export function parseRunSelector(value: string): RunSelector | string {
  const [step, ...pairs] = value
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '');
  if (step === undefined || step.includes('=')) return '`run:` names an experiment, then the options of the run: `run: fit-linear model=ransac`';
  if (!STEP_ID.test(step)) return `\`run:\` names an experiment id (letters, digits, \`-\`, \`_\`), got \`${excerpt(step)}\``;
  const options: Record<string, string> = {};
  for (const pair of pairs) {
    const m = /^([A-Za-z_][\w-]*)=(\S+)$/.exec(pair);
    if (!m) return `\`run:\` takes \`option=value\` pairs after the experiment id, got \`${excerpt(pair)}\``;
    if (options[m[1]!] !== undefined) return `\`run:\` gives option \`${m[1]}\` twice`;
    options[m[1]!] = m[2]!;
  }
  return { step, options };
}

/**
 * How a student knows an experiment: lessons number their experiments in the title (`3a. SSC against turbidity`),
 * so `experiment 3a`; otherwise its title in quotes.
 */
export function experimentLabel(step: ExperimentStep): string {
  const numbered = /^(\d+[a-z]?)\.\s/.exec(step.title);
  return numbered ? `experiment ${numbered[1]!}` : `"${step.title}"`;
}

/** Gives each question's `run:` the label of its experiment, so grading can say which run to make. */
function labelRuns(steps: Step[]): void {
  const experiments = new Map(steps.filter((s): s is ExperimentStep => s.kind === 'experiment').map((s) => [s.id, s]));
  for (const s of steps) {
    if (s.kind !== 'question' || !s.run) continue;
    const exp = experiments.get(s.run.step);
    if (!exp) continue;
    s.run.label = experimentLabel(exp);
    // Feedback names a run by the options the student sets; the fixed ones (stage=fit) are not on the screen.
    s.run.choices = Object.keys(exp.choices);
  }
}
