// Reads lesson files from disk: the packaged lessons folder, an instructor's folder, or one file. The only I/O
// in the lesson engine (files.ts); everything else works on strings.
import { parseLesson } from './parse.js';
import { sealedLesson } from './sealed.js';
import { collectLessons, LESSONS_DIR, type LessonCheck, type LoadedLessons } from './files.js';

export { formatProblem, LESSON_MAX_BYTES, LESSONS_DIR, type LessonCheck, type LoadedLessons } from './files.js';

/** Loads every lesson in `dir` (every `.md` file but README.md); lessons with problems are left out and reported. */
export function loadLessons(dir: string = LESSONS_DIR): LoadedLessons {
  const { lessons, problems } = checkLessons(dir, { trustSeal: true });
  return { lessons, problems };
}

/** Checks a folder of lessons, or one lesson file: every problem, plus the lessons that passed. */
export function checkLessons(dirOrFile: string = LESSONS_DIR, options: { trustSeal?: boolean } = {}): LessonCheck {
  return collectLessons(dirOrFile, (text, file) => {
    // A file checked in full when eds was built, by this very engine, need not be read or checked again (sealed.ts).
    const known = options.trustSeal === true ? sealedLesson(text, file) : null;
    return known ? { lesson: known, problems: [] } : parseLesson(text, file);
  })!;
}
