// Every step of every shipped lesson, laid out by the pure step view as the lesson screen draws it at 80×24 and
// 120×40, with colour and Unicode and without either: pages, experiments (option list focused or not) and questions
// in each state a student meets (each choice highlighted, graded right, wrong and revealed, each hint, each
// anticipated mistake, review). No line is wider than the body, nothing is cut (no "…" the lesson does not write,
// every word of the page, prompt, choices, feedback, hints, answer and explanation is on screen, in one piece), and
// no table is left as pipe syntax.
import { describe, expect, it } from 'vitest';
import { loadLessons } from '../../src/lessons/load.js';
import type { Lesson, Step } from '../../src/lessons/types.js';
import type { RenderCaps } from '../../src/render/caps.js';
import { initialUi, optionNames, type QuestionUi, type StepUi } from '../../src/tutor/step-ui.js';
import { viewStep, type Line } from '../../src/tutor/step-view.js';
import { symbolsFor } from '../../src/render/symbols.js';
import { displayWidth, stripAnsi, toAscii } from '../../src/util/text.js';
import { questionStates } from '../support/question-states.js';

const { lessons, problems } = loadLessons('lessons');

const plain = (line: Line) => (typeof line === 'string' ? stripAnsi(line) : line.map((s) => s.text).join(''));

/** Words (letters and digits) of text as shown: authors' comments left out, 7-bit without Unicode. */
function words(text: string, caps: RenderCaps): Map<string, number> {
  const shown = text.replace(/<!--[\s\S]*?(-->|$)/g, '');
  const counts = new Map<string, number>();
  for (const w of (caps.unicode ? shown : toAscii(shown)).match(/[\p{L}\p{N}]+/gu) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
}

const count = (text: string, piece: string) => text.split(piece).length - 1;

/** The lesson's own text a state shows: what must all be on screen, and the only source of any "…". */
function sourceTexts(step: Step, ui: StepUi): string[] {
  if (step.kind === 'page') return [step.title, step.body];
  if (step.kind === 'experiment') return [step.title, step.body, ...optionNames(step), ...Object.values(step.choices).flat()];
  const q = ui as QuestionUi;
  const out = [step.prompt, ...step.options.map((o) => o.text)];
  if (q.guess !== null && step.type === 'predict') out.push(q.guess);
  if (q.phase === 'review' && q.review) out.push(q.input, q.review.modelAnswer);
  const f = q.feedback;
  if (f) {
    out.push(f.text.replace(/^(Correct!|Not quite\.)\s*/, ''));
    const modelAnswer = f.modelAnswer ?? (f.selfAssessed ? f.answer : undefined);
    if (!f.selfAssessed && f.hint) out.push(f.hint);
    if (!f.selfAssessed && f.answer !== undefined && modelAnswer === undefined) out.push(f.answer);
    if (modelAnswer) out.push(modelAnswer);
    if (f.explain) out.push(f.explain);
  }
  return out;
}

/** Each state of a step worth drawing, with the key focus it is drawn with. */
function statesOf(lesson: Lesson, step: Step): Array<{ name: string; ui: StepUi; focus: 'main' | 'page' }> {
  if (step.kind === 'question') return questionStates(lesson, step).map((s) => ({ ...s, focus: 'main' as const }));
  const ui = initialUi(step, undefined, 0, 0);
  if (step.kind === 'page') return [{ name: 'page', ui, focus: 'main' }];
  return [
    { name: 'options focused', ui, focus: 'main' },
    { name: 'page focused', ui, focus: 'page' },
  ];
}

// The lesson screen's body: two columns narrower than the terminal, five rows shorter.
const SIZES: Array<{ label: string; caps: RenderCaps }> = [
  { label: '80×24', caps: { width: 78, height: 19, colors: 256, unicode: true } },
  { label: '120×40', caps: { width: 118, height: 35, colors: 256, unicode: true } },
  { label: '80×24 ASCII, no colour', caps: { width: 78, height: 19, colors: 0, unicode: false } },
  { label: '120×40 ASCII, no colour', caps: { width: 118, height: 35, colors: 0, unicode: false } },
];

describe('every step of every shipped lesson on the lesson screen', () => {
  it('loads every shipped lesson, some with tables', () => {
    expect(problems).toEqual([]);
    expect(lessons.length).toBeGreaterThanOrEqual(8);
    const withTables = lessons.filter((l) => l.steps.some((s) => s.kind !== 'question' && /^\|.*\|\s*$/m.test(s.body) && /^\|\s*:?-{3}/m.test(s.body)));
    expect(withTables.map((l) => l.id).length).toBeGreaterThanOrEqual(3);
  });

  for (const { label, caps } of SIZES) {
    it(`at ${label}: every line fits, nothing is cut, tables are drawn`, () => {
      const sym = symbolsFor(caps.unicode);
      const found: string[] = [];
      let drawn = 0;
      let tableRows = 0;
      for (const lesson of lessons) {
        for (const step of lesson.steps) {
          for (const { name, ui, focus } of statesOf(lesson, step)) {
            drawn++;
            const where = `${lesson.id}/${step.id} (${name})`;
            const lines = viewStep(step, ui, caps, sym, focus).lines.map(plain);
            lines.forEach((l, i) => {
              if (displayWidth(l) > caps.width) found.push(`${where}: line ${i} is ${displayWidth(l)} columns: ${l}`);
              if (!caps.unicode && /[^\x00-\x7f]/.test(l)) found.push(`${where}: not 7-bit: ${l}`);
              // Pipe-table syntax, as written in the lesson file.
              if (l.startsWith('|') || /\|\s*:?-{3}/.test(l)) found.push(`${where}: raw table syntax: ${l}`);
              if (l.includes(caps.unicode ? ' │ ' : ' | ')) tableRows++;
            });
            const screen = lines.join('\n');
            const source = sourceTexts(step, ui).join('\n');
            const shownSource = caps.unicode ? source : toAscii(source);
            const dots = caps.unicode ? '…' : '...';
            if (count(screen, dots) > count(shownSource, dots))
              found.push(`${where}: ${count(screen, dots)} "${dots}" on screen, ${count(shownSource, dots)} in the lesson`);
            // Every word of the lesson's text is on screen whole (a word broken over two lines would be two others).
            const have = words(screen, caps);
            for (const [w, n] of words(source, caps)) if ((have.get(w) ?? 0) < n) found.push(`${where}: "${w}" shown ${have.get(w) ?? 0} of ${n} times`);
          }
        }
      }
      expect(drawn).toBeGreaterThan(600);
      // The volcano, lidar and neural tables are drawn as tables, not as records, at these widths.
      expect(tableRows).toBeGreaterThan(20);
      expect(found.slice(0, 25)).toEqual([]);
    }, 120_000);
  }
});
