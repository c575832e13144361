// The course map: the six sessions and the final project, with the lessons of each and the student's progress.
import type { Lesson } from '../lessons/types.js';
import type { LessonProgress } from '../store/types.js';

/** One row of the course map. */
export interface CourseEntry {
  /** Session number: 0 tour, 1–6 sessions, 7 final project. */
  session: number;
  /** What the session is about, in the course's words. */
  theme: string;
  /** The lessons of this session (may be empty while a session's lesson is not written yet). */
  lessons: LessonStatus[];
}

/** A lesson with how far this student got. */
export interface LessonStatus {
  /** The lesson. */
  lesson: Lesson;
  /** Finished steps. */
  done: number;
  /** All steps. */
  total: number;
  /** Where the student is. */
  state: 'new' | 'started' | 'done';
  /** The step index to resume at. */
  currentStep: number;
}

/** The course's sessions in order, as the syllabus names them. */
export const SESSIONS: ReadonlyArray<{ session: number; theme: string }> = [
  { session: 0, theme: 'Tour of the tutor' },
  { session: 1, theme: 'Regression: can a cheap river sensor replace an expensive one?' },
  { session: 2, theme: 'Classification of seismo-volcanic signals' },
  { session: 3, theme: 'Lidar point clouds: supervised classification' },
  { session: 4, theme: 'Lidar point clouds: unsupervised clustering' },
  { session: 5, theme: 'Neural networks: digits, then seismic phase picking' },
  { session: 6, theme: 'Synthesis: attention, foundation models, frugal learning' },
  { session: 7, theme: 'Final project: compare classifiers on a new dataset' },
];

/** How far a student is in a lesson, from the stored progress. */
export function lessonStatus(lesson: Lesson, progress: LessonProgress | null | undefined): LessonStatus {
  const total = lesson.steps.length;
  const ids = new Set(lesson.steps.map((s) => s.id));
  const done = progress ? progress.completed.filter((id) => ids.has(id)).length : 0;
  const state = !progress ? 'new' : done >= total ? 'done' : 'started';
  const currentStep = progress ? Math.min(Math.max(0, progress.currentStep), Math.max(0, total - 1)) : 0;
  return { lesson, done, total, state, currentStep };
}

/** Builds the course map from the lessons found and the student's progress. */
export function courseMap(lessons: readonly Lesson[], progress: readonly LessonProgress[]): CourseEntry[] {
  const byLesson = new Map(progress.map((p) => [p.lesson, p]));
  return SESSIONS.map(({ session, theme }) => ({
    session,
    theme,
    lessons: lessons.filter((l) => l.session === session).map((l) => lessonStatus(l, byLesson.get(l.id))),
  }));
}

/** The lesson and step where `eds` should open: the last place the student was, else the first unfinished lesson. */
export function resumePoint(map: readonly CourseEntry[], last: { lesson: string; step: number } | null): { lesson: string; step: number } | null {
  const all = map.flatMap((e) => e.lessons);
  if (last) {
    const found = all.find((s) => s.lesson.id === last.lesson);
    if (found && found.state !== 'done') return { lesson: found.lesson.id, step: found.currentStep };
  }
  const next = all.find((s) => s.state !== 'done');
  return next ? { lesson: next.lesson.id, step: next.currentStep } : null;
}
