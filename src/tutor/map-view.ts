// Lays out the course map as lines: sessions, their lessons with progress bars, and broken lesson files; long
// titles and themes wrap, never cut.
import type { LessonProblem } from '../lessons/types.js';
import type { CourseEntry, LessonStatus } from './course-map.js';
import type { Line, Segment } from '../render/styled-line.js';
import { wrapSegments } from './step-view.js';
import type { Symbols } from '../render/symbols.js';

/** The laid-out map and which line each selectable lesson is on. */
export interface MapView {
  /** Lines to draw. */
  lines: Line[];
  /** Selectable lessons in order, with their line. */
  items: Array<{ lesson: string; line: number }>;
}

/** Lays out the map at `width` columns with the cursor on lesson number `cursor` (among selectable ones). */
export function viewMap(map: readonly CourseEntry[], problems: readonly LessonProblem[], cursor: number, width: number, sym: Symbols): MapView {
  const lines: Line[] = [];
  const items: MapView['items'] = [];
  for (const entry of map) {
    const label = entry.session === 7 ? 'Project' : entry.session === 0 ? 'Start' : `Session ${entry.session}`;
    // The session's theme wraps under itself rather than being cut.
    lines.push(...wrapSegments([{ text: entry.theme }], width, [{ text: `${label.padEnd(10)}`, role: 'accent', bold: true }]));
    if (entry.lessons.length === 0) {
      lines.push([{ text: '            not available yet', role: 'muted' }]);
      continue;
    }
    for (const status of entry.lessons) {
      const selected = items.length === cursor;
      items.push({ lesson: status.lesson.id, line: lines.length });
      lines.push(...lessonLines(status, selected, width, sym));
    }
  }
  if (problems.length > 0) {
    lines.push('', [{ text: `${sym.wrong} Lesson files with problems (not shown above):`, role: 'error', bold: true }]);
    for (const p of problems.slice(0, 5))
      lines.push(...wrapSegments([{ text: `${p.file}:${p.line}: ${p.message}`, role: 'error' }], width, [{ text: '  ' }], 4));
    if (problems.length > 5) lines.push([{ text: `  ${sym.ellipsis} and ${problems.length - 5} more (eds lessons check)`, role: 'error' }]);
  }
  return { lines, items };
}

/** A lesson's row: its title (wrapped under itself when long, never cut), then its bar, count and state. */
function lessonLines(s: LessonStatus, selected: boolean, width: number, sym: Symbols): Line[] {
  const barWidth = width >= 70 ? 12 : 6;
  const filled = s.total > 0 ? Math.round((barWidth * s.done) / s.total) : 0;
  const count = `${s.done}/${s.total}`.padStart(7);
  const state = s.state === 'done' ? `${sym.ok} done` : s.state === 'started' ? 'started' : 'new';
  // prefix 4, bar, " count  " 10, state up to 7.
  const titleWidth = Math.max(8, width - 4 - barWidth - 10 - 7 - 2);
  const title = wrapSegments([{ text: s.lesson.title }], titleWidth).map((l) => l.map((seg) => seg.text).join(''));
  const titleSeg = (text: string): Segment => ({ text: text.padEnd(titleWidth), inverse: selected, bold: selected });
  return [
    [
      { text: selected ? `  ${sym.pointer} ` : '    ' },
      titleSeg(title[0] ?? ''),
      { text: '  ' },
      { text: sym.barFull.repeat(filled), role: 'success' },
      { text: sym.barEmpty.repeat(barWidth - filled), role: 'muted' },
      { text: ` ${count}  ` },
      { text: state, role: s.state === 'done' ? 'success' : s.state === 'started' ? 'warning' : 'muted' },
    ],
    ...title.slice(1).map((t): Line => [{ text: '    ' }, titleSeg(t)]),
  ];
}
