// What `eds lessons check` (and loading) require of a text question: a model answer, match lines, and example
// answers that the real grader accepts and refuses as the author says. Each problem carries the line to fix.
import { gradeAnswer } from './grade.js';
import { DEFAULT_MIN_WORDS, synonymNames } from './text-match.js';
import type { QuestionStep, TextExample } from './types.js';

/** Examples of each kind an `auto` question needs. */
export const MIN_EXAMPLES = 5;
/** Alternatives (synonyms expanded) one question may compare each word of an answer with: a bound on grading time. */
export const MAX_ALTERNATIVES = 3000;

type Report = (line: number, message: string) => void;

const CONTEXT = { results: {}, attempt: 1 };

function quote(text: string): string {
  const t = text.length > 70 ? `${text.slice(0, 69)}…` : text;
  return `"${t}"`;
}

/** Checks one text question; reports through `report(line, message)`. */
/** How much of a lesson to check. */
export interface CheckOptions {
  /** Grade the model answer and every `accept:`/`refuse:` example (default true; skipped only for a sealed file, see sealed.ts). */
  examples?: boolean;
}

export function checkTextQuestion(q: QuestionStep, report: Report, options: CheckOptions = {}): void {
  const at = (field: string): number => q.fieldLines?.[field] ?? q.line;
  const review = q.grading === 'review';
  const rules = q.match ?? [];
  const automatic = rules.length > 0 || q.patterns.length > 0;
  const accept = q.accept ?? [];
  const refuse = q.refuse ?? [];

  if ((q.answerText ?? '').trim() === '') report(q.line, `text question \`${q.id}\` needs an \`answer:\`: the model answer shown once the answer is graded`);
  if (!review) {
    if (!automatic) report(q.line, `text question \`${q.id}\` needs at least one \`match:\` line (or \`grading: review\`)`);
    if (accept.length < MIN_EXAMPLES) {
      report(
        accept.length > 0 ? accept[0]!.line : q.line,
        `text question \`${q.id}\` has ${accept.length} \`accept:\` example${accept.length === 1 ? '' : 's'}: give at least ${MIN_EXAMPLES} right answers, in different words`,
      );
    }
    if (refuse.length < MIN_EXAMPLES) {
      report(
        refuse.length > 0 ? refuse[0]!.line : q.line,
        `text question \`${q.id}\` has ${refuse.length} \`refuse:\` example${refuse.length === 1 ? '' : 's'}: give at least ${MIN_EXAMPLES} (wrong ideas, negations such as "not because of …", keyword-stuffed nonsense)`,
      );
    }
  } else if (!automatic && accept.length + refuse.length > 0) {
    report((accept[0] ?? refuse[0])!.line, `review question \`${q.id}\` has examples but no \`match:\` line to check them against`);
  }

  const used = new Set([...rules, ...q.wrong.flatMap((w) => (w.kind === 'match' ? [w.rule] : []))].flatMap(synonymNames));

  for (const name of Object.keys(q.synonyms ?? {})) {
    if (!used.has(name)) report(at('synonyms'), `synonym list \`@${name}\` is not used by any \`match:\` or \`wrong:\` line`);
  }

  const rulesAll = [...rules, ...q.wrong.flatMap((w) => (w.kind === 'match' ? [w.rule] : []))];
  const size = rulesAll.reduce(
    (n, r) =>
      n +
      [...r.all, ...r.none].reduce((m, c) => m + c.alternatives.reduce((k, a) => k + (a.kind === 'synonym' ? (q.synonyms?.[a.name]?.length ?? 0) : 1), 0), 0),
    0,
  );
  if (size > MAX_ALTERNATIVES) {
    report(
      at('match'),
      `question \`${q.id}\` compares answers with ${size} alternatives (synonym lists counted where used); keep it under ${MAX_ALTERNATIVES}`,
    );
    return;
  }

  if (!automatic || options.examples === false) return;
  // The verdict the student would get (review questions: the provisional one the instructor sees).
  const verdict = (text: string): { accepted: boolean; invalid?: string } => {
    const g = gradeAnswer(q, text, CONTEXT);
    if (g.invalid) return { accepted: false, invalid: g.feedback };
    return { accepted: g.review ? g.review.auto === true : g.correct };
  };
  const model = (q.answerText ?? '').replace(/\s+/g, ' ').trim();
  if (model !== '' && !verdict(model).accepted) {
    report(at('answer'), `question \`${q.id}\` refuses its own model answer (\`answer:\`): its \`match:\` lines are too narrow`);
  }
  const check = (ex: TextExample, expected: boolean): void => {
    const v = verdict(ex.text);
    if (v.accepted === expected) return;
    if (expected) {
      const why = v.invalid !== undefined ? `: not graded, too little content (\`min-words: ${q.minWords ?? DEFAULT_MIN_WORDS}\`)` : '';
      report(ex.line, `question \`${q.id}\` refuses ${quote(ex.text)} (accept: example)${why}`);
    } else {
      report(ex.line, `question \`${q.id}\` accepts ${quote(ex.text)} (refuse: example)${acceptedBy(q, ex.text)}`);
    }
  };
  for (const ex of accept) check(ex, true);
  for (const ex of refuse) check(ex, false);
}

/** `; accepted by match: … (line N)`: which line to tighten. */
function acceptedBy(q: QuestionStep, text: string): string {
  for (const rule of q.match ?? []) {
    const only = { ...q, match: [rule], patterns: [], grading: 'auto' as const };
    if (gradeAnswer(only, text, CONTEXT).correct) return `; accepted by \`match: ${rule.source}\`${rule.line !== undefined ? ` (line ${rule.line})` : ''}`;
  }
  for (const p of q.patterns) {
    const only = { ...q, match: [], patterns: [p], grading: 'auto' as const };
    if (gradeAnswer(only, text, CONTEXT).correct) return `; accepted by \`pattern: /${p.source}/\``;
  }
  return '';
}
