// The course map and resume rules: where `eds` opens, and how progress is counted.
import { describe, expect, it } from 'vitest';
import { courseMap, lessonStatus, resumePoint, SESSIONS } from '../../src/tutor/course-map.js';
import type { Lesson } from '../../src/lessons/types.js';
import type { LessonProgress } from '../../src/store/types.js';

function lesson(id: string, session: number, steps: number): Lesson {
  return {
    id,
    session,
    title: id,
    summary: '',
    file: `/x/${id}.md`,
    steps: Array.from({ length: steps }, (_, i) => ({ kind: 'page' as const, id: `p${i}`, line: i + 1, title: `p${i}`, body: '' })),
  };
}
function progress(id: string, currentStep: number, completed: string[]): LessonProgress {
  return { lesson: id, currentStep, completed, states: {}, updated: '2026-01-01T00:00:00Z' };
}

describe('course map', () => {
  it('lists the tour, the six sessions and the final project, in order', () => {
    const map = courseMap([lesson('intro', 0, 3), lesson('river', 1, 5)], []);
    expect(map.map((e) => e.session)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(SESSIONS).toHaveLength(8);
    expect(map[1]!.lessons.map((l) => l.lesson.id)).toEqual(['river']);
    expect(map[2]!.lessons).toEqual([]);
  });

  it('counts only completed steps that still exist in the lesson', () => {
    const s = lessonStatus(lesson('intro', 0, 3), progress('intro', 1, ['p0', 'gone']));
    expect(s.done).toBe(1);
    expect(s.state).toBe('started');
  });

  it('marks a lesson done when every step is completed, and clamps a stale step index', () => {
    const s = lessonStatus(lesson('intro', 0, 2), progress('intro', 9, ['p0', 'p1']));
    expect(s.state).toBe('done');
    expect(s.currentStep).toBe(1);
  });
});

describe('resume point', () => {
  const lessons = [lesson('intro', 0, 2), lesson('river', 1, 4)];
  it('opens where the student last was', () => {
    const map = courseMap(lessons, [progress('river', 2, ['p0', 'p1'])]);
    expect(resumePoint(map, { lesson: 'river', step: 2 })).toEqual({ lesson: 'river', step: 2 });
  });
  it('moves on to the first unfinished lesson once the last one is done', () => {
    const map = courseMap(lessons, [progress('intro', 1, ['p0', 'p1'])]);
    expect(resumePoint(map, { lesson: 'intro', step: 1 })).toEqual({ lesson: 'river', step: 0 });
  });
  it('returns null when everything is done', () => {
    const map = courseMap(lessons, [progress('intro', 1, ['p0', 'p1']), progress('river', 3, ['p0', 'p1', 'p2', 'p3'])]);
    expect(resumePoint(map, null)).toBeNull();
  });
});

describe('course map layout', () => {
  it('keeps progress bars in one column and within the width, long titles wrapped whole, in ASCII too', async () => {
    const { viewMap } = await import('../../src/tutor/map-view.js');
    const { symbolsFor } = await import('../../src/render/symbols.js');
    const long = { ...lesson('long', 1, 4), title: 'Lidar point clouds: shape at several scales, then supervised classification' };
    const map = courseMap([lesson('intro', 0, 3), long], []);
    for (const unicode of [true, false]) {
      const view = viewMap(map, [], 0, 78, symbolsFor(unicode));
      const rows = view.items.map((it) => (view.lines[it.line] as Array<{ text: string }>).map((s) => s.text).join(''));
      const barColumn = rows.map((r) => r.indexOf((unicode ? '░' : '.').repeat(12)));
      expect(new Set(barColumn).size).toBe(1);
      for (const r of rows) expect(r.length).toBeLessThanOrEqual(78);
      // The long title goes on under itself, before the next lesson's row: read whole, nothing cut.
      const text = view.lines.map((l) => (typeof l === 'string' ? l : l.map((s) => s.text).join(''))).join('\n');
      for (const l of text.split('\n')) expect(l.length).toBeLessThanOrEqual(78);
      // The title's own segment on its row, then on each continuation row (an indent and the title's segment).
      const after = view.lines.slice(view.items[1]!.line) as Array<Array<{ text: string }>>;
      const end = after.findIndex((l, i) => i > 0 && (l.length !== 2 || l[0]!.text !== '    '));
      const titleRows = after.slice(0, end < 0 ? after.length : end).map((l) => l[1]!.text.trim());
      expect(titleRows.length).toBeGreaterThan(1);
      expect(titleRows.join(' ')).toBe(long.title);
      // (The ASCII bar is dots: look for a cut only in the titles and themes.)
      expect(text.replace(/\.{4,}/g, '')).not.toContain(unicode ? '…' : '...');
    }
  });
});
