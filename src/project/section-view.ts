// Lays out each page of the `eds project` screen as lines for the viewport: pure, so the TUI only draws what this returns.
import type { RenderCaps } from '../render/caps.js';
import { truncate, wrapWords } from '../render/text.js';
import type { Figure } from '../render/figure.js';
import type { Line, Segment } from '../render/styled-line.js';
import type { Symbols } from '../render/symbols.js';
import { displayWidth, graphemes, graphemeWidth, toAscii } from '../util/text.js';
import type { Comparison, FoldKind } from './compare.js';
import { MODEL_TITLES } from './compare.js';
import type { ProjectData } from './data.js';
import type { ExportTargets } from './export.js';
import { comparisonTable, projectFigures } from './figures.js';
import type { Overview } from './overview.js';
import { INTERPRETATION_PROMPTS } from './prompts.js';
import { SECTION_TITLES, answerText, currentPage, isUnsaved, sectionOf, type AnswersUi, type ProjectPage } from './sections.js';

/** Where the comparison is: training (with the status lines so far), done, or failed. */
export type ComparisonProgress = { phase: 'running'; steps: string[] } | { phase: 'done'; comparison: Comparison } | { phase: 'failed'; error: string };

/** The Export section's state. */
export interface ExportState {
  /** A write in progress. */
  writing: boolean;
  /** The lines of the last export ("wrote …"), empty before the first. */
  written: string[];
  /** The saved answers' texts when the files were last written, to tell whether they are out of date. */
  answersWritten: string | null;
  /** Why the last write failed, if it did. */
  error: string | null;
}

/** Everything a page may show. */
export interface ProjectViewInput {
  /** The data as read. */
  data: ProjectData;
  /** Step 1. */
  overview: Overview;
  /** Step 2, as far as it got. */
  progress: ComparisonProgress;
  /** The answers. */
  ui: AnswersUi;
  /** The export files. */
  targets: ExportTargets;
  /** The folder relative export paths are in. */
  folder: string;
  /** The Export section's state. */
  exportState: ExportState;
  /** The folds the comparison runs on (default stratified). */
  split?: FoldKind;
}

/** The laid-out body of a page. */
export interface PageView {
  /** All lines, top to bottom, none wider than the width given. */
  lines: Line[];
  /** Lines where a figure starts: PgUp/PgDn jump between them. */
  anchors: number[];
  /** The line that must stay visible (the cursor of an answer), or -1. */
  focus: number;
  /** Key hints for the footer. */
  hints: string;
}

/** Lays out `page` at `caps.width` × `caps.height` (the body's size): every line in the terminal's character set and within the width. */
export function viewPage(page: ProjectPage, input: ProjectViewInput, caps: RenderCaps, sym: Symbols): PageView {
  const view = layoutPage(page, input, caps, sym);
  // ASCII spellings can be wider than what they replace (→ becomes ->): convert first, then cut.
  const charset = (text: string) => (caps.unicode ? text : toAscii(text));
  const lines = view.lines.map((line) => clip(typeof line === 'string' ? charset(line) : line.map((seg) => ({ ...seg, text: charset(seg.text) })), caps.width));
  return { ...view, lines, hints: charset(view.hints) };
}

function layoutPage(page: ProjectPage, input: ProjectViewInput, caps: RenderCaps, sym: Symbols): PageView {
  switch (page.kind) {
    case 'overview':
      // The first figure is the overview as prose; the others are drawings.
      return figureList(
        projectFigures(input.data, input.overview, null),
        caps,
        `n/→ comparison  ↑↓ scroll  PgDn/PgUp figure by figure${input.data.time ? '  t folds' : ''}`,
        1,
      );
    case 'comparison':
      return viewComparison(input, caps, sym);
    case 'figures':
      return viewFigures(input, caps);
    case 'prompt':
      return viewPrompt(page, input.ui, caps, sym);
    case 'export':
      return viewExport(input, caps, sym);
    default: {
      const never: never = page;
      return never;
    }
  }
}

/** The comparison's figures after its table (they follow the overview's in {@link projectFigures}; the table has its own page). */
function comparisonFigures(input: ProjectViewInput, cmp: Comparison): Figure[] {
  const before = projectFigures(input.data, input.overview, null).length;
  return projectFigures(input.data, input.overview, cmp).slice(before + 1);
}

/**
 * Figures one after another, each titled and drawn to fit the body's height with its title, so a page shows a whole
 * figure. The first `prose` figures are text, word-wrapped; lines of drawings wider than the page are cut.
 */
function figureList(figures: Figure[], caps: RenderCaps, hints: string, prose = 0): PageView {
  const lines: Line[] = [];
  const anchors: number[] = [];
  const height = Math.max(4, caps.height - 2);
  for (const [i, figure] of figures.entries()) {
    if (lines.length > 0) lines.push('');
    anchors.push(lines.length);
    for (const t of wrapWords(figure.title, caps.width)) lines.push([{ text: t, bold: true, role: 'accent' }]);
    const text = safeRender(() => figure.render({ ...caps, height }));
    for (const line of text.split('\n')) lines.push(...(i < prose ? wrapProse(line, caps.width) : [clipText(line, caps.width)]));
  }
  return { lines, anchors, focus: -1, hints };
}

function viewComparison(input: ProjectViewInput, caps: RenderCaps, sym: Symbols): PageView {
  const { progress } = input;
  const lines: Line[] = [];
  if (progress.phase === 'running') {
    const folds = input.split === 'time' && input.data.time ? `folds that are blocks of time ("${input.data.time.column}")` : 'stratified folds';
    lines.push(...wrapWords(`Training the models under the same ${folds}…`, caps.width).map((t): Line => [{ text: t, bold: true, role: 'accent' }]), '');
    progress.steps.forEach((step, i) => {
      const last = i === progress.steps.length - 1;
      lines.push(
        ...wrapWords(`${last ? sym.pointer : sym.ok} ${step}${last ? '…' : ''}`, caps.width).map((t): Line => [{ text: t, role: last ? 'accent' : 'muted' }]),
      );
    });
    lines.push(
      '',
      ...wrapWords('The table appears here when every model is done. Meanwhile you can read the overview (p) or start on your answers.', caps.width).map(
        (t): Line => [{ text: t, role: 'muted' }],
      ),
    );
    return { lines, anchors: [], focus: -1, hints: 'training…  p/← overview  n/→ next' };
  }
  if (progress.phase === 'failed') {
    lines.push(...wrapWords(`${sym.wrong} The comparison failed: ${progress.error}`, caps.width).map((t): Line => [{ text: t, role: 'error' }]));
    return { lines, anchors: [], focus: -1, hints: 'p/← back  q quit' };
  }
  const cmp = progress.comparison;
  lines.push([{ text: 'Model comparison (cross-validated)', bold: true, role: 'accent' }]);
  // The table's rows are cut if they must be (a table folded over two lines is unreadable); its notes are prose.
  const fits = (text: string) =>
    text
      .split('\n\n')[0]!
      .split('\n')
      .every((l) => displayWidth(l) <= caps.width);
  const full = comparisonTable(cmp, caps.unicode);
  const [table = '', notes = ''] = (fits(full) ? full : comparisonTable(cmp, caps.unicode, 2)).split('\n\n');
  for (const line of table.split('\n')) lines.push(clipText(line, caps.width));
  lines.push('');
  for (const line of notes.split('\n')) lines.push(...wrapProse(line, caps.width));
  lines.push('');
  const best = cmp.ranking[0]!;
  lines.push(
    ...wrapWords(`Best by mean balanced accuracy: ${MODEL_TITLES[best]}. Is it better than the next one, or within the spread over folds?`, caps.width),
  );
  lines.push('', [{ text: 'Next: learning curves, confusion matrices and feature importance (n).', role: 'muted' }]);
  return { lines, anchors: [], focus: -1, hints: 'n/→ figures  p/← overview  ↑↓ scroll' };
}

function viewFigures(input: ProjectViewInput, caps: RenderCaps): PageView {
  const { progress } = input;
  if (progress.phase !== 'done') {
    const why = progress.phase === 'running' ? 'The figures appear when the comparison has finished (see Comparison).' : 'No figures: the comparison failed.';
    return { lines: wrapWords(why, caps.width), anchors: [], focus: -1, hints: 'n/→ next  p/← back' };
  }
  return figureList(comparisonFigures(input, progress.comparison), caps, 'PgDn/PgUp figure by figure  ↑↓ scroll  n/→ next  p/← back');
}

function viewPrompt(page: Extract<ProjectPage, { kind: 'prompt' }>, ui: AnswersUi, caps: RenderCaps, sym: Symbols): PageView {
  const { prompt } = page;
  const lines: Line[] = [[{ text: `Question ${page.number} of ${INTERPRETATION_PROMPTS.length}`, role: 'muted' }]];
  lines.push(...wrapWords(prompt.question, caps.width).map((t): Line => [{ text: t, bold: true, role: 'accent' }]));
  lines.push(...wrapWords(prompt.guide, caps.width).map((t): Line => [{ text: t, role: 'muted' }]), '');
  const draft = ui.drafts[prompt.id] ?? '';
  const typed = draft.split('\n');
  let focus = lines.length;
  typed.forEach((text, i) => {
    const last = i === typed.length - 1;
    const prefix = i === 0 ? `${sym.pointer} ` : '  ';
    // One column kept free at the end for the cursor.
    const rows = wrapChars(text, Math.max(1, caps.width - 3));
    rows.forEach((row, r) => {
      const segs: Segment[] = [{ text: r === 0 ? prefix : '  ', role: 'accent' }, { text: row }];
      if (last && r === rows.length - 1) {
        segs.push({ text: ' ', inverse: true });
        focus = lines.length;
      }
      lines.push(segs);
    });
  });
  lines.push('');
  const saved = ui.saved[prompt.id];
  if (saved && !isUnsaved(ui, prompt.id)) lines.push([{ text: `${sym.ok} Saved. Keep typing to change it; ← → move between sections.`, role: 'success' }]);
  else if (saved) lines.push([{ text: 'Changed since it was saved: Enter on an empty line saves it again.', role: 'warning' }]);
  else if (answerText(draft) !== '') lines.push([{ text: 'Enter starts a new line; Enter on an empty line saves the answer.', role: 'muted' }]);
  else lines.push([{ text: 'A few sentences. Enter on an empty answer skips the question for now.', role: 'muted' }]);
  focus = Math.min(focus + 2, lines.length - 1);
  return { lines, anchors: [], focus, hints: 'Enter new line, twice: save  ←/→ sections  Ctrl-C quit' };
}

function viewExport(input: ProjectViewInput, caps: RenderCaps, sym: Symbols): PageView {
  const { targets, exportState, progress, ui } = input;
  const lines: Line[] = [[{ text: 'Export', bold: true, role: 'accent' }]];
  const files: Array<[string, string]> = [];
  if (targets.notebook) files.push(['notebook', targets.notebook]);
  if (targets.report) files.push(['report', targets.report]);
  lines.push(...wrapWords('Your answers, the results, and scikit-learn code on the same rows and folds, written to:', caps.width));
  // Paths are cut into rows rather than clipped: the student must see all of where the files go.
  const pathRows = (label: string, path: string) =>
    wrapChars(path, Math.max(1, caps.width - 11)).map((row, i) => `  ${(i === 0 ? label : '').padEnd(9)}${row}`);
  for (const [what, path] of files) lines.push(...pathRows(what, path));
  lines.push(...pathRows('in', input.folder), '');
  const answered = INTERPRETATION_PROMPTS.filter((p) => ui.saved[p.id]).length;
  const answersLine = `Your answers: ${answered} of ${INTERPRETATION_PROMPTS.length} saved${answered < INTERPRETATION_PROMPTS.length ? ' (the files say which are missing; p goes back to them)' : ''}.`;
  lines.push(...wrapWords(answersLine, caps.width).map((t): Line => [{ text: t, role: answered < INTERPRETATION_PROMPTS.length ? 'warning' : undefined }]), '');
  let hints = 'Enter write the files  p/← back  q quit';
  if (progress.phase === 'running') {
    lines.push(
      ...wrapWords('The files need the comparison, which is still running (see Comparison).', caps.width).map((t): Line => [{ text: t, role: 'muted' }]),
    );
    hints = 'training…  p/← back  q quit';
  } else if (progress.phase === 'failed') {
    lines.push(...wrapWords(`${sym.wrong} Nothing to export: the comparison failed.`, caps.width).map((t): Line => [{ text: t, role: 'error' }]));
    hints = 'p/← back  q quit';
  } else if (exportState.writing) {
    lines.push([{ text: 'Writing…', role: 'accent' }]);
  } else if (exportState.written.length === 0) {
    lines.push([{ text: 'Press Enter to write the files.', bold: true }]);
  }
  for (const written of exportState.written) lines.push(...wrapWords(`${sym.ok} ${written}`, caps.width).map((t): Line => [{ text: t, role: 'success' }]));
  if (exportState.written.length > 0 && !exportState.writing) {
    const stale = exportState.answersWritten !== answersKey(ui);
    lines.push(
      '',
      ...wrapWords(
        stale ? 'Your answers changed since: Enter writes the files again.' : 'Done. q quits; your answers are saved too. Enter writes the files again.',
        caps.width,
      ).map((t): Line => [{ text: t, role: stale ? 'warning' : 'muted' }]),
    );
  }
  if (exportState.error)
    lines.push(...wrapWords(`${sym.wrong} Could not write: ${exportState.error}`, caps.width).map((t): Line => [{ text: t, role: 'error' }]));
  return { lines, anchors: [], focus: -1, hints };
}

/** The saved answers as one string, to tell whether the exported files still hold them. */
export function answersKey(ui: AnswersUi): string {
  return JSON.stringify(INTERPRETATION_PROMPTS.map((p) => ui.saved[p.id]?.text ?? null));
}

/**
 * The header: the sections as tabs with the current one in brackets (readable without colour), and on the right
 * `right` (the scroll position); the short form `2/5 Comparison` where the tabs do not fit.
 */
export function projectHeader(ui: AnswersUi, width: number, right = ''): string {
  const page = currentPage(ui);
  const section = sectionOf(page);
  const title = (i: number) =>
    i === section && page.kind === 'prompt' ? `${SECTION_TITLES[i]} ${page.number}/${INTERPRETATION_PROMPTS.length}` : SECTION_TITLES[i]!;
  const tabs = ' ' + SECTION_TITLES.map((_, i) => (i === section ? `[${title(i)}]` : ` ${title(i)} `)).join(' ');
  const short = ` ${section + 1}/${SECTION_TITLES.length} ${title(section)}`;
  const left = displayWidth(tabs) + displayWidth(right) + 1 <= width ? tabs : short;
  const pad = Math.max(1, width - displayWidth(left) - displayWidth(right));
  return clipText(left + ' '.repeat(pad) + right, width);
}

/**
 * PgDn/PgUp on a page of figures: the next (or previous) figure's first line, else a page less one line; the
 * result is the new top line, not clamped.
 */
export function pageJump(anchors: readonly number[], top: number, bodyHeight: number, direction: 1 | -1): number {
  if (direction === 1) return anchors.find((a) => a > top) ?? top + Math.max(1, bodyHeight - 1);
  const before = anchors.filter((a) => a < top);
  return before.length > 0 ? before[before.length - 1]! : top - Math.max(1, bodyHeight - 1);
}

/** A line of prose that may be wider than the page, word-wrapped with its indent kept (plus two on later lines). */
function wrapProse(line: string, width: number): string[] {
  if (displayWidth(line) <= width) return [line];
  const indent = /^\s*/.exec(line)![0];
  const words = wrapWords(line.trim(), Math.max(10, width - indent.length - 2));
  return words.map((w, i) => (i === 0 ? indent + w : `${indent}  ${w}`)).map((w) => clipText(w, width));
}

/** Cuts typed text into rows of at most `width` columns, never splitting a character (an empty line stays one row). */
export function wrapChars(text: string, width: number): string[] {
  const rows: string[] = [];
  let row = '';
  let used = 0;
  for (const g of graphemes(text)) {
    const w = graphemeWidth(g);
    if (used + w > width && row !== '') {
      rows.push(row);
      row = '';
      used = 0;
    }
    row += g;
    used += w;
  }
  rows.push(row);
  return rows;
}

/** Cuts text (which may hold a renderer's colour escapes) to `width` columns. */
function clipText(text: string, width: number): string {
  return truncate(text, width);
}

/** A styled line cut to `width` columns. */
function clip(line: Line, width: number): Line {
  if (typeof line === 'string') return clipText(line, width);
  let left = width;
  const out: Segment[] = [];
  for (const seg of line) {
    if (left <= 0) break;
    const text = clipText(seg.text, left);
    left -= displayWidth(text);
    out.push({ ...seg, text });
  }
  return out;
}

function safeRender(draw: () => string): string {
  try {
    return draw();
  } catch (err) {
    // A figure that cannot draw must not take the screen down with it.
    return `(figure unavailable: ${err instanceof Error ? err.message : String(err)})`;
  }
}
