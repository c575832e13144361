// The lessons for a start: sealed ones (sealed.ts) straight from the seal, the parser and the checks loaded only
// when a file is not sealed (an instructor's lesson, an edited one). Loading the lesson engine is most of what a
// start would otherwise spend on modules before the first frame.
import { collectLessons, LESSONS_DIR, type LoadedLessons } from './files.js';
import { sealedLesson } from './sealed.js';

/** `loadLessons(dir)`, the same lessons and problems, loading the lesson engine only if a file needs it. */
export async function openLessons(dir: string = LESSONS_DIR): Promise<LoadedLessons> {
  const sealed = collectLessons(dir, (text, file) => {
    const lesson = sealedLesson(text, file);
    return lesson ? { lesson, problems: [] } : null;
  });
  if (sealed) return { lessons: sealed.lessons, problems: sealed.problems };
  const { loadLessons } = await import('./load.js');
  return loadLessons(dir);
}
