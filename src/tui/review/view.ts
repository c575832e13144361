// Lays out the review screen as lines: the question and its model answer on top, the students' answers below (the selected one whole), pure.
import type { RenderCaps } from '../../render/caps.js';
import type { Line, Segment } from '../../render/styled-line.js';
import type { Symbols } from '../../render/symbols.js';
import { renderMarkdown } from '../../lessons/markdown.js';
import { autoVerdictText, type ReviewGroup } from '../../course/review.js';
import { wrapText } from '../../util/text.js';
import { currentGroup, pendingCount, verdictWord, visibleAnswers, visibleGroups, type ReviewState } from './state.js';

/** Lines an answer that is not selected keeps (the selected one is shown whole). */
export const COLLAPSED_LINES = 2;
/** The key line at the bottom (each key as the help lists it). */
export const HELP_LINE = '↑↓ move  a accept  r refuse  u undo  n/p question  / pending  ? keys  q quit';

/** One answer's place in the body. */
export interface AnswerBlock {
  /** Answer key. */
  key: string;
  /** First body line (its header). */
  start: number;
  /** One past its last line. */
  end: number;
}

/** The screen, laid out. */
export interface ReviewView {
  /** The header bar's text. */
  header: string;
  /** The question and the model answer (fixed above the answers). */
  top: Line[];
  /** Every answer's lines. */
  body: Line[];
  /** Where each answer is in `body`. */
  blocks: AnswerBlock[];
  /** Body lines that fit on the screen. */
  bodyHeight: number;
}

/** Keeps at most `max` lines, the last one marked when some were cut. */
function clipLines(lines: string[], max: number, ellipsis: string): string[] {
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, Math.max(1, max));
  kept[kept.length - 1] = `${kept[kept.length - 1]} ${ellipsis}`;
  return kept;
}

const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** Lays out the screen at `caps` (height already one row short of the terminal). */
export function layoutReview(groups: readonly ReviewGroup[], state: ReviewState, caps: RenderCaps, symbols: Symbols): ReviewView {
  const width = Math.max(20, caps.width);
  const list = visibleGroups(groups, state);
  const g = currentGroup(groups, state);
  const all = groups.flatMap((x) => x.answers);
  const pendingAll = pendingCount(all, state);
  const index = g ? list.indexOf(g) + 1 : 0;
  const header = g
    ? ` Review ${symbols.dot} ${g.lesson} ${g.question} ${symbols.dot} question ${index}/${list.length} ${symbols.dot} pending ${pendingCount(g.answers, state)}/${g.answers.length} here, ${pendingAll} in all${state.pendingOnly ? ` ${symbols.dot} pending only` : ''}`
    : ` Review ${symbols.dot} ${all.length} answers ${symbols.dot} pending ${pendingAll}`;

  // Header, notice and help take 3 lines; the question and the model answer share a fifth of the rest each, at least.
  const rest = Math.max(4, caps.height - 3);
  const top: Line[] = [];
  if (g) {
    const md = (text: string) => renderMarkdown(text, { ...caps, width: width - 2 }).filter((l, i, a) => l.trim() !== '' || (i > 0 && i < a.length - 1));
    const prompt = g.prompt
      ? clipLines(md(g.prompt), Math.max(1, Math.floor(rest / 5)), symbols.ellipsis)
      : ['(this question is not in the lessons installed here)'];
    top.push([{ text: 'Q ', bold: true, role: 'accent' }, { text: prompt[0] ?? '' }], ...prompt.slice(1).map((l) => `  ${l}`));
    if (g.modelAnswer) {
      const model = clipLines(md(g.modelAnswer), Math.max(2, Math.floor(rest / 4)), symbols.ellipsis);
      top.push([{ text: 'Model answer ', bold: true, role: 'success' }], ...model.map((l) => `  ${l}`));
    }
    top.push([{ text: symbols.rule.repeat(width), role: 'muted' }]);
  }
  const bodyHeight = Math.max(1, caps.height - 3 - top.length);

  const body: Line[] = [];
  const blocks: AnswerBlock[] = [];
  if (!g) {
    body.push(
      state.pendingOnly && all.length ? 'Nothing pending: every answer has a verdict. / lists them all again.' : 'No free-text answers in the records yet.',
    );
  } else {
    for (const a of visibleAnswers(g, state)) {
      const start = body.length;
      const selected = a.key === state.selected;
      const v = state.verdicts.get(a.key) ?? null;
      const mark: Segment = v
        ? {
            text: `${v.verdict === 'accept' ? symbols.ok : symbols.wrong} ${verdictWord(v.verdict)} by ${v.by}`,
            role: v.verdict === 'accept' ? 'success' : 'error',
            bold: true,
          }
        : { text: `${symbols.dot} pending`, role: 'warning' };
      const head: Segment[] = [
        {
          text: `${selected ? symbols.pointer : ' '} ${a.student}  #${a.attempt}  ${when(a.time)}  ${autoVerdictText(a)}  `,
          inverse: selected,
          bold: selected,
        },
        { ...mark, inverse: selected },
      ];
      body.push(head);
      const text = wrapText(a.answer + (a.truncated ? ` [${symbols.ellipsis}cut in the record]` : ''), width - 6);
      const shown = selected ? text : clipLines(text, COLLAPSED_LINES, symbols.ellipsis);
      for (const l of shown) body.push(`    ${l}`);
      if (v?.note) body.push([{ text: `    note: ${v.note}`, role: 'muted' }]);
      body.push('');
      blocks.push({ key: a.key, start, end: body.length });
    }
  }
  return { header, top, body, blocks, bodyHeight };
}

/** The scroll that shows the selected answer: all of it when it fits, else from its top; unchanged when it is already in view. */
export function scrollFor(view: Pick<ReviewView, 'blocks' | 'bodyHeight' | 'body'>, selected: string | null, scroll: number): number {
  const maxScroll = Math.max(0, view.body.length - view.bodyHeight);
  const b = view.blocks.find((x) => x.key === selected);
  let s = Math.min(scroll, maxScroll);
  if (!b) return Math.max(0, s);
  // The blank line after the answer need not be in view.
  const end = b.end - 1;
  // Taller than the screen: any window inside the answer will do (↓ scrolls through it); else all of it in view.
  if (end - b.start > view.bodyHeight) s = Math.min(Math.max(s, b.start), end - view.bodyHeight);
  else if (b.start < s) s = b.start;
  else if (end > s + view.bodyHeight) s = end - view.bodyHeight;
  return Math.max(0, Math.min(s, maxScroll));
}
