// Lays out a step as lines for the viewport: pure, so the TUI only draws what this returns.
import type { ExperimentStep, QuestionStep, Step } from '../lessons/types.js';
import type { RenderCaps } from '../render/caps.js';
import { inlineSpans, renderMarkdown } from '../lessons/markdown.js';
import type { ExperimentUi, Feedback, QuestionUi, StepUi } from './step-ui.js';
import type { JobInfo } from '../runner/types.js';
import { optionNames } from './step-ui.js';
import { runLines } from './run-view.js';
import type { Symbols } from '../render/symbols.js';
import type { StepFocus } from './step-keys.js';
import type { Line, Segment } from '../render/styled-line.js';
import { safeLine, safeText } from '../util/safe-text.js';
import { displayWidth, graphemes, graphemeWidth, toAscii, wrapText } from '../util/text.js';

export type { Line, Role, Segment } from '../render/styled-line.js';

/** The laid-out body of a step (its keys come from tutor/step-keys.ts). */
export interface StepView {
  /** All lines, top to bottom. */
  lines: Line[];
  /** The line that must stay visible (the cursor, the verdict), or -1. */
  focus: number;
  /** With `focus`, the last line that should be visible too when the body has room (the feedback under a choice). */
  focusEnd?: number;
  /** The highlighted row of a choice or option list (-1 when none): the list keys act on it only while it is on screen. */
  cursorLine: number;
  /** The first line of the feedback (its verdict), shown first when it does not fit on screen with the cursor. */
  verdict?: number;
}

/** Where experiments run when Slurm is offered: the next run goes to Slurm or not, and Slurm's settings in words. */
export interface RunPlace {
  /** True: the next run is a Slurm job. */
  slurm: boolean;
  /** The Slurm runner's label ("Slurm, partition gpu, gpu:1"). */
  label: string;
}

/** Lays out one step at the given size. `focus` is where the step's keys go (an experiment's page or its options). */
export function viewStep(step: Step, ui: StepUi, caps: RenderCaps, symbols: Symbols, focus: StepFocus = 'main', place: RunPlace | null = null): StepView {
  if (step.kind === 'page') {
    return { lines: renderMarkdown(`# ${step.title}\n\n${step.body}`, caps), focus: -1, cursorLine: -1 };
  }
  if (step.kind === 'experiment' && ui.kind === 'experiment') return viewExperiment(step, ui, caps, symbols, focus, place);
  if (step.kind === 'question' && ui.kind === 'question') return viewQuestion(step, ui, caps, symbols);
  return { lines: ['(this step cannot be shown)'], focus: -1, cursorLine: -1 };
}

/** The height a figure is drawn at in a step `caps.height` rows tall: a tall one (a map) takes the window. */
export function figureHeight(caps: Pick<RenderCaps, 'height'>, tall: boolean): number {
  return Math.max(6, tall ? caps.height - 6 : Math.min(caps.height - 6, 20));
}

/** What the spinner line says a run is doing: running here, or waiting or running as a Slurm job. */
export function runWhat(job: JobInfo | null | undefined): string {
  if (!job) return 'running…';
  if (job.state === 'PENDING' || job.state === 'CONFIGURING')
    return `waiting as Slurm job ${safeLine(job.id, 20)}${job.reason ? ` (${safeLine(job.reason, 60)})` : ''}…`;
  return `running as Slurm job ${safeLine(job.id, 20)}${job.node ? ` on ${safeLine(job.node, 60)}` : ''}…`;
}

function viewExperiment(step: ExperimentStep, ui: ExperimentUi, caps: RenderCaps, sym: Symbols, keyFocus: StepFocus, place: RunPlace | null): StepView {
  const lines: Line[] = [...renderMarkdown(`# ${step.title}\n\n${step.body}`, caps), ''];
  const names = optionNames(step);
  let focus = -1;
  let cursorLine = -1;
  if (names.length > 0) {
    // The focus is visible: the option list's title and its highlighted row light up while it has it.
    const listFocused = keyFocus === 'main';
    lines.push(
      ...wrapSegments(
        listFocused
          ? [
              { text: 'Options', bold: true, role: 'accent' },
              { text: charset('  (↑↓ choose, ←→ change, Enter run, Tab back to the page)', caps), role: 'muted' },
            ]
          : [
              { text: 'Options', bold: true },
              { text: '  (Tab to change them)', role: 'muted' },
            ],
        caps.width,
      ),
    );
    names.forEach((name, i) => {
      const allowed = step.choices[name] ?? [];
      const selected = i === ui.cursor;
      const values = allowed.map((v) => (v === ui.values[name] ? `[${v}]` : ` ${v} `)).join('');
      if (selected) cursorLine = lines.length;
      // Only a focused list pulls its row into view: with the page focused, ↑↓ scroll freely.
      if (selected && listFocused) focus = lines.length;
      // Values that do not fit on the row go on under it, indented, so every value can be seen before it is picked.
      lines.push(
        ...wrapSegments(
          [{ text: values, role: selected && listFocused ? 'selection' : undefined, inverse: selected && listFocused }],
          caps.width,
          [{ text: selected && listFocused ? `${sym.pointer} ` : '  ' }, { text: `${name}: `, bold: selected && listFocused }],
          4,
        ),
      );
    });
    lines.push('');
  }
  if (place && !ui.running) {
    // Where the next run goes, and the key that changes it: only where the course offers Slurm.
    const text = place.slurm ? `Runs on: ${place.label}  (s: run here instead)` : `Runs on: this machine  (s: run on ${place.label})`;
    lines.push(...plainLines(safeLine(text, 400), caps, { role: 'muted' }), '');
  }
  let focusEnd: number | undefined;
  if (ui.running) {
    // The spinner, the whole run's bar and the curves (tutor/run-view.ts); the last results stay, marked stale.
    const previous = ui.results ? { options: ui.runs[ui.runs.length - 1]?.options ?? {}, lines: metricLines(ui.results, caps.width) } : null;
    const run = runLines(ui.live, caps, sym, previous, runWhat(ui.job));
    focus = lines.length;
    focusEnd = lines.length + run.keep - 1;
    lines.push(...run.lines);
  } else if (ui.error) {
    lines.push(...plainLines(`${sym.wrong} ${ui.error}`, caps, { role: 'error' }));
  } else if (ui.results) {
    lines.push([{ text: ui.restored ? 'Results of your last run' : 'Results', bold: true }]);
    lines.push(...metricLines(ui.results, caps.width));
    if (ui.restored && ui.figures.length === 0) {
      lines.push([{ text: 'Press r to draw the plots again.', role: 'muted' }]);
    }
    for (const figure of ui.figures) {
      // A title longer than the width (the river's test split names its dates) wraps rather than being cut.
      lines.push('', ...plainLines(figure.title, caps, { bold: true }));
      const plot = safeRender(() => figure.render({ ...caps, height: figureHeight(caps, figure.tall === true) }));
      lines.push(...plot.split('\n'));
    }
  } else {
    lines.push([{ text: 'Press Enter to run the experiment.', role: 'muted' }]);
  }
  return { lines, focus, cursorLine, ...(focusEnd !== undefined && focusEnd > focus ? { focusEnd } : {}) };
}

function viewQuestion(step: QuestionStep, ui: QuestionUi, caps: RenderCaps, sym: Symbols): StepView {
  const title = step.type === 'predict' ? 'Predict, then run' : 'Question';
  const lines: Line[] = [[{ text: title, bold: true, role: 'accent' }], ...renderMarkdown(step.prompt, caps), ''];
  let focus = -1;
  let cursorLine = -1;
  // A committed prediction or an answer under review keeps the choice it was given: no cursor any more.
  const done = ui.solved || ui.revealed || ui.phase !== 'answer';
  if (step.options.length > 0) {
    const multiple = step.type === 'multiple';
    step.options.forEach((option, i) => {
      const selected = i === ui.cursor && !done;
      const picked = multiple ? ui.picked.includes(i) : ui.picked[0] === i;
      const box = multiple ? (picked ? sym.checked : sym.unchecked) : picked ? sym.radioOn : sym.radioOff;
      const right = done && option.correct;
      // Once answered, every right choice is marked, and so is a wrong one the student picked.
      const wrongPick = done && picked && !option.correct;
      if (selected) focus = cursorLine = lines.length;
      const text = markdownSegments(option.text, caps, { inverse: selected, role: right ? 'success' : undefined });
      const mark: Segment[] = right ? [{ text: `  ${sym.ok}`, role: 'success' }] : wrongPick ? [{ text: `  ${sym.wrong}`, role: 'error' }] : [];
      // A long choice wraps under its own text; the pointer, its box and its mark stay on screen.
      lines.push(...wrapSegments([...text, ...mark], caps.width, [{ text: selected ? `${sym.pointer} ` : '  ' }, { text: `${box} ` }]));
    });
    lines.push('');
  }
  let focusEnd: number | undefined;
  let verdictLine: number | undefined;
  // What just happened is kept in view: the saved prediction, the run, the model answer, the verdict.
  const keep = (from: number, to = from) => {
    if (focus === -1) focus = from;
    focusEnd = to;
  };
  if (ui.guess !== null && step.type === 'predict') {
    // A picked choice is lesson Markdown, drawn as the choice was; a typed guess is the student's, shown as typed.
    const guess =
      step.options.length > 0
        ? markdownSegments(ui.guess, caps, { role: 'muted' })
        : [{ text: caps.unicode ? safeLine(ui.guess, 2000) : toAscii(safeLine(ui.guess, 2000)), role: 'muted' as const }];
    lines.push(...wrapSegments([{ text: 'Your prediction: ', role: 'muted' }, ...guess], caps.width));
    if (ui.phase !== 'answer') keep(lines.length - 1);
  }
  if (ui.phase === 'running') {
    const run = runLines(ui.live, caps, sym, null, 'running the experiment…');
    lines.push(...run.lines);
    keep(lines.length - run.lines.length, lines.length - 1);
  }
  if (ui.phase === 'committed') {
    lines.push(...plainLines('Your prediction is saved. Press Enter to run the experiment and check it.', caps, { role: 'accent' }));
    keep(lines.length - 1);
  }
  if (ui.phase === 'review' && ui.review) {
    const start = lines.length;
    lines.push(...reviewLines(ui.input, ui.review.modelAnswer, caps));
    focus = -1;
    keep(start, lines.length - 1);
  }
  if (ui.feedback) {
    const verdict = lines.length;
    verdictLine = verdict;
    const feedback = feedbackLines(ui.feedback, caps, sym);
    lines.push(...feedback.lines);
    // Once answered the verdict leads; while answering, the highlighted choice does, and its feedback follows.
    if (done) focus = -1;
    keep(verdict, verdict + feedback.keep - 1);
  }
  const status = statusLine(step, ui);
  if (status) lines.push('', ...plainLines(status, caps, { role: 'muted' }));
  return {
    lines,
    focus,
    cursorLine,
    ...(focusEnd !== undefined && focusEnd > focus ? { focusEnd } : {}),
    ...(verdictLine !== undefined ? { verdict: verdictLine } : {}),
  };
}

/**
 * What is true of this question now, under it: how grading goes on from here. Only what holds: a prediction is
 * graded once, a reviewed answer is not graded by the tutor, and the answer is shown after a number of wrong
 * attempts only on questions that reveal it.
 */
export function statusLine(step: QuestionStep, ui: QuestionUi): string | null {
  if (ui.solved || ui.revealed || ui.phase === 'graded' || ui.phase === 'running' || ui.phase === 'committed' || ui.phase === 'review') return null;
  if (step.type === 'predict') return 'A prediction is graded once, after the run.';
  if (step.type === 'text' && step.grading === 'review') return 'After you answer, you compare it with a model answer.';
  // The grader reveals the answer on the attempt numbered `step.attempts` (counted over every session).
  const wrongLeft = Math.max(1, step.attempts - ui.attempts);
  const tries = wrongLeft === 1 ? 'after one more wrong answer' : `after ${wrongLeft} more wrong answers`;
  return `The answer is shown ${tries}.`;
}

/** Review mode: the student's answer, the model answer and the question asked about them. */
function reviewLines(answer: string, modelAnswer: string, caps: RenderCaps): Line[] {
  return [
    [{ text: 'Your answer (saved):', bold: true }],
    // The student's own text, shown as typed (not as Markdown), wrapped to the width.
    ...wrapText(caps.unicode ? safeText(answer) : toAscii(safeText(answer)), caps.width),
    '',
    ...modelAnswerLines(modelAnswer, caps),
    '',
    [{ text: 'Does your answer cover this? (y/n)', bold: true, role: 'accent' }],
  ];
}

/** A text question's model answer under its label, wrapped to the width (it is one way to say it, not the only one). */
function modelAnswerLines(modelAnswer: string, caps: RenderCaps): Line[] {
  return [[{ text: MODEL_ANSWER_LABEL, bold: true }], ...renderMarkdown(modelAnswer, caps)];
}

/** The label over a text question's model answer. */
export const MODEL_ANSWER_LABEL = 'A model answer:';

/** The feedback's lines, and how many of the first ones should stay in view with the verdict (all but the explanation). */
function feedbackLines(f: Feedback, caps: RenderCaps, sym: Symbols): { lines: Line[]; keep: number } {
  const out: Line[] = [];
  // Feedback saved by an earlier eds kept a reviewed answer's model answer in `answer`.
  const modelAnswer = f.modelAnswer ?? (f.selfAssessed ? f.answer : undefined);
  // Feedback, hints and answers come from the lesson file and can be long: wrapped, never cut at the edge.
  // Their Markdown (`code`, *emphasis*) is drawn as on a page, not printed with its backticks.
  const push = (...segments: Segment[]) => out.push(...wrapSegments(segments, caps.width));
  const md = (text: string, base: Omit<Segment, 'text'> = {}) => markdownSegments(text, caps, base);
  if (f.selfAssessed) {
    push({ text: `${sym.ok} Saved for review. `, bold: true, role: 'success' }, ...md(f.text));
  } else {
    const mark = f.correct ? sym.ok : sym.wrong;
    // The grader's generic "Correct!"/"Not quite." would repeat the verdict shown here.
    const detail = f.text.replace(/^(Correct!|Not quite\.)\s*/, '');
    push({ text: `${mark} ${f.correct ? 'Right.' : 'Not quite.'} `, bold: true, role: f.correct ? 'success' : 'error' }, ...md(detail));
    if (f.hint) push({ text: 'Hint: ', role: 'warning' }, ...md(f.hint, { role: 'warning' }));
    if (f.answer !== undefined && modelAnswer === undefined) push({ text: 'The answer: ', bold: true }, ...md(f.answer, { bold: true }));
  }
  if (modelAnswer !== undefined && modelAnswer !== '') out.push(...modelAnswerLines(modelAnswer, caps));
  const keep = out.length;
  if (f.explain) out.push(...renderMarkdown(f.explain, caps));
  return { lines: out, keep };
}

/**
 * A styled line cut into lines of at most `width` columns, at spaces where it can; each word keeps its segment's
 * style, and a word wider than the line is broken. `lead` (a choice's pointer and box) starts the first line, never
 * broken, and the lines after it start as far in (or `indent` columns in), so a long choice hangs under its own text.
 */
export function wrapSegments(segments: readonly Segment[], width: number, lead: readonly Segment[] = [], indent?: number): Segment[][] {
  const room = Math.max(1, Math.floor(width));
  const leadWidth = lead.reduce((n, seg) => n + displayWidth(seg.text), 0);
  // At least one column is left for text under a lead.
  const hang = Math.min(indent ?? leadWidth, room - 1);
  const lines: Segment[][] = [];
  let line: Segment[] = lead.map((seg) => ({ ...seg }));
  let used = leadWidth;
  // No word on this line yet (only the lead or the hanging indent): a word that does not fit is broken here.
  let empty = true;
  const sameStyle = (a: Segment, b: Segment) =>
    a.role === b.role && !a.bold === !b.bold && !a.inverse === !b.inverse && !a.italic === !b.italic && !a.code === !b.code;
  const add = (text: string, seg: Segment) => {
    const last = line[line.length - 1];
    if (last && sameStyle(last, seg)) last.text += text;
    else line.push({ ...seg, text });
    used += displayWidth(text);
  };
  const breakLine = () => {
    // Spaces left at the end of a line are not shown.
    while (line.length > 0 && / $/.test(line[line.length - 1]!.text)) {
      const last = line[line.length - 1]!;
      last.text = last.text.replace(/ +$/, '');
      if (last.text === '') line.pop();
      else break;
    }
    lines.push(line.filter((x) => x.text !== ''));
    line = hang > 0 ? [{ text: ' '.repeat(hang) }] : [];
    used = hang;
    empty = true;
  };
  for (const seg of segments) {
    for (const piece of seg.text.split(/( +)/)) {
      if (piece === '') continue;
      if (piece.startsWith(' ')) {
        // Spaces right after a lead are kept (they align an option's values); a wrapped line starts with a word.
        if (!empty || (lines.length === 0 && used > 0)) add(piece, seg);
        continue;
      }
      let word = piece;
      while (displayWidth(word) > room - used) {
        // A word goes whole onto the next line when it fits there (under a lead wider than the indent too).
        if (!empty || (used > hang && displayWidth(word) <= room - hang)) {
          breakLine();
          continue;
        }
        // Wider than a whole line: as much as fits, then the rest on the next one.
        const chars = graphemes(word);
        let n = 0;
        for (let w = 0; n < chars.length && w + graphemeWidth(chars[n]!) <= room - used; n++) w += graphemeWidth(chars[n]!);
        n = Math.max(1, n);
        add(chars.slice(0, n).join(''), seg);
        empty = false;
        breakLine();
        word = chars.slice(n).join('');
      }
      if (word !== '') {
        add(word, seg);
        empty = false;
      }
    }
  }
  if (!empty || lines.length === 0) breakLine();
  return lines;
}

/** Inline Markdown from the lesson (a choice, a hint, a feedback) as segments in `base`'s style, as a page shows it. */
function markdownSegments(md: string, caps: RenderCaps, base: Omit<Segment, 'text'> = {}): Segment[] {
  return inlineSpans(safeText(md), caps).map((span) => ({
    ...base,
    text: span.text,
    ...(span.bold || base.bold ? { bold: true } : {}),
    ...(span.italic ? { italic: true } : {}),
    ...(span.code ? { code: true } : {}),
  }));
}

/** Text as the terminal can show it: 7-bit without Unicode, laid out so (`←→` is wider as `<-->`). */
function charset(text: string, caps: RenderCaps): string {
  return caps.unicode ? text : toAscii(text);
}

/** Plain text (a figure title, an error) as one segment, 7-bit when the terminal has no Unicode, wrapped to the width. */
function plainLines(text: string, caps: RenderCaps, style: Omit<Segment, 'text'> = {}): Segment[][] {
  const safe = safeLine(text, 2000);
  return wrapSegments([{ ...style, text: caps.unicode ? safe : toAscii(safe) }], caps.width);
}

/** Metrics as aligned `name  value` lines (nested objects summarised, arrays by length). */
export function metricLines(results: Record<string, unknown>, width: number): Line[] {
  const rows: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(results)) {
    if (typeof value === 'number') rows.push([key, formatNumber(value)]);
    else if (typeof value === 'string' || typeof value === 'boolean') rows.push([key, String(value)]);
  }
  const keyWidth = Math.min(28, Math.max(0, ...rows.map(([k]) => k.length)));
  // A row wider than the body (a narrow window, a long name or value) puts its value under its name, never cut off.
  return rows.flatMap(([k, v]) => {
    const row = `  ${k.padEnd(keyWidth)}  ${v}`;
    if (displayWidth(row) <= width) return [row];
    const under = (text: string, indent: number) =>
      wrapText(text, Math.max(1, width - indent)).map((l) => `${' '.repeat(indent)}${typeof l === 'string' ? l : ''}`);
    return [...under(k, 2), ...under(v, 4)];
  });
}

/** Four significant digits, no exponent for everyday magnitudes. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

function safeRender(draw: () => string): string {
  try {
    return draw();
  } catch (err) {
    // A figure that cannot draw must not take the lesson down with it.
    return `(figure unavailable: ${err instanceof Error ? err.message : String(err)})`;
  }
}
