// Lays out a step as lines for the viewport: pure, so the TUI only draws what this returns.
import type { ExperimentStep, QuestionStep, Step } from '../lessons/types.js';
import type { RenderCaps } from '../render/caps.js';
import { renderMarkdown } from '../lessons/markdown.js';
import type { ExperimentUi, Feedback, QuestionUi, StepUi } from './step-ui.js';
import { optionNames } from './step-ui.js';
import type { Symbols } from './symbols.js';

/** A colour role from the theme. */
export type Role = 'accent' | 'success' | 'error' | 'warning' | 'muted' | 'selection';

/** A run of text with one style. */
export interface Segment {
  /** The text (no ANSI codes). */
  text: string;
  /** Colour role. */
  role?: Role;
  /** Bold. */
  bold?: boolean;
  /** Inverse video (the selected line; visible without colour). */
  inverse?: boolean;
}

/** A line: preformatted (may hold ANSI from a renderer) or styled segments. */
export type Line = string | Segment[];

/** The laid-out body of a step. */
export interface StepView {
  /** All lines, top to bottom. */
  lines: Line[];
  /** The line that must stay visible (the cursor), or -1. */
  focus: number;
  /** The key hints for the footer. */
  hints: string;
}

/** Lays out one step at the given size. */
export function viewStep(step: Step, ui: StepUi, caps: RenderCaps, symbols: Symbols): StepView {
  if (step.kind === 'page') {
    return { lines: renderMarkdown(`# ${step.title}\n\n${step.body}`, caps), focus: -1, hints: 'n/→ next  p/← back  ↑↓ scroll' };
  }
  if (step.kind === 'experiment' && ui.kind === 'experiment') return viewExperiment(step, ui, caps, symbols);
  if (step.kind === 'question' && ui.kind === 'question') return viewQuestion(step, ui, caps, symbols);
  return { lines: ['(this step cannot be shown)'], focus: -1, hints: '' };
}

function viewExperiment(step: ExperimentStep, ui: ExperimentUi, caps: RenderCaps, sym: Symbols): StepView {
  const lines: Line[] = [...renderMarkdown(`# ${step.title}\n\n${step.body}`, caps), ''];
  const names = optionNames(step);
  let focus = -1;
  if (names.length > 0) {
    lines.push([{ text: 'Options', bold: true }, { text: '  (↑↓ choose, ←→ change, Enter run)', role: 'muted' }]);
    names.forEach((name, i) => {
      const allowed = step.choices[name] ?? [];
      const selected = i === ui.cursor;
      const values = allowed.map((v) => (v === ui.values[name] ? `[${v}]` : ` ${v} `)).join('');
      if (selected) focus = lines.length;
      lines.push([
        { text: selected ? `${sym.pointer} ` : '  ' },
        { text: `${name}: `, bold: selected },
        { text: values, role: selected ? 'selection' : undefined },
      ]);
    });
    lines.push('');
  }
  if (ui.running) {
    lines.push([{ text: `${sym.spinner[0]} running… ${ui.status}`, role: 'accent' }]);
    focus = lines.length - 1;
  } else if (ui.error) {
    lines.push([{ text: `${sym.wrong} ${ui.error}`, role: 'error' }]);
  } else if (ui.results) {
    lines.push([{ text: ui.restored ? 'Results of your last run' : 'Results', bold: true }]);
    lines.push(...metricLines(ui.results, caps.width));
    if (ui.restored && ui.figures.length === 0) {
      lines.push([{ text: 'Press r to draw the plots again.', role: 'muted' }]);
    }
    for (const figure of ui.figures) {
      lines.push('', [{ text: figure.title, bold: true }]);
      const plot = safeRender(() => figure.render({ ...caps, height: Math.max(6, Math.min(caps.height - 6, 20)) }));
      lines.push(...plot.split('\n'));
    }
  } else {
    lines.push([{ text: 'Press Enter to run the experiment.', role: 'muted' }]);
  }
  const hints = ui.results ? 'Enter/r run again  n next  p back' : 'Enter run  p back';
  return { lines, focus, hints };
}

function viewQuestion(step: QuestionStep, ui: QuestionUi, caps: RenderCaps, sym: Symbols): StepView {
  const title = step.type === 'predict' ? 'Predict, then run' : 'Question';
  const lines: Line[] = [[{ text: title, bold: true, role: 'accent' }], ...renderMarkdown(step.prompt, caps), ''];
  let focus = -1;
  const done = ui.solved || ui.revealed;
  if (step.options.length > 0) {
    const multiple = step.type === 'multiple';
    step.options.forEach((option, i) => {
      const selected = i === ui.cursor && !done;
      const picked = multiple ? ui.picked.includes(i) : ui.picked[0] === i;
      const box = multiple ? (picked ? sym.checked : sym.unchecked) : picked ? sym.radioOn : sym.radioOff;
      const right = done && option.correct;
      if (i === ui.cursor) focus = lines.length;
      lines.push([
        { text: selected ? `${sym.pointer} ` : '  ' },
        { text: `${box} ` },
        { text: option.text, inverse: selected, role: right ? 'success' : undefined },
        { text: right ? `  ${sym.ok}` : '', role: 'success' },
      ]);
    });
    lines.push('');
  }
  if (ui.guess !== null && step.type === 'predict') {
    lines.push([{ text: `Your prediction: ${ui.guess}`, role: 'muted' }]);
  }
  if (ui.phase === 'running') lines.push([{ text: `${sym.spinner[0]} running the experiment…`, role: 'accent' }]);
  if (ui.feedback) lines.push(...feedbackLines(ui.feedback, caps, sym));
  if (focus === -1 && ui.feedback) focus = lines.length - 1;
  const attemptsLeft = Math.max(0, step.attempts - ui.attempts);
  let hints: string;
  if (done) hints = 'n next  p back';
  else if (step.options.length > 0) hints = `${step.type === 'multiple' ? 'Space pick  ' : ''}↑↓ move  Enter answer  (${attemptsLeft} tries before the answer is shown)`;
  else hints = `type your answer, Enter to check  Esc map  (${attemptsLeft} tries before the answer is shown)`;
  return { lines, focus, hints };
}

function feedbackLines(f: Feedback, caps: RenderCaps, sym: Symbols): Line[] {
  const out: Line[] = [];
  const mark = f.correct ? sym.ok : sym.wrong;
  // The grader's generic "Correct!"/"Not quite." would repeat the verdict shown here.
  const detail = f.text.replace(/^(Correct!|Not quite\.)\s*/, '');
  out.push([{ text: `${mark} ${f.correct ? 'Right.' : 'Not quite.'} `, bold: true, role: f.correct ? 'success' : 'error' }, { text: detail }]);
  if (f.hint) out.push([{ text: `Hint: ${f.hint}`, role: 'warning' }]);
  if (f.answer !== undefined) out.push([{ text: `The answer: ${f.answer}`, bold: true }]);
  if (f.explain) out.push(...renderMarkdown(f.explain, caps));
  return out;
}

/** Metrics as aligned `name  value` lines (nested objects summarised, arrays by length). */
export function metricLines(results: Record<string, unknown>, width: number): Line[] {
  const rows: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(results)) {
    if (typeof value === 'number') rows.push([key, formatNumber(value)]);
    else if (typeof value === 'string' || typeof value === 'boolean') rows.push([key, String(value)]);
  }
  const keyWidth = Math.min(28, Math.max(0, ...rows.map(([k]) => k.length)));
  return rows.map(([k, v]) => `  ${k.padEnd(keyWidth)}  ${v}`.slice(0, Math.max(1, width)));
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
