// The lesson files of a folder (or one file), read with a given reader into lessons, with the checks that concern
// files rather than their text: names, ids matching names, one lesson per id, order. Free of the parser, so that a
// start reading only sealed lessons (sealed.ts) loads neither the parser nor the checks (open.ts).
import { readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../version.js';
import { safeLine } from '../util/safe-text.js';
import { UserError } from '../errors.js';
import { fileLabel, readInputFile } from '../data/input.js';
import type { Lesson, LessonProblem } from './types.js';

/** Lessons read from a folder, and the problems of the files that could not be used. */
export interface LoadedLessons {
  /** The valid lessons, by session then file name. */
  lessons: Lesson[];
  /** Problems of every file (a file with any problem gives no lesson). */
  problems: LessonProblem[];
}

/** What `checkLessons` found. */
export interface LessonCheck extends LoadedLessons {
  /** How many lesson files were checked. */
  files: number;
}

/** What reading one file's text gave: the lesson, or null and why. */
export interface ReadLesson {
  lesson: Lesson | null;
  problems: LessonProblem[];
}

/** Where the packaged lessons are. */
export const LESSONS_DIR = join(PACKAGE_ROOT, 'lessons');

/** Largest lesson file read, bytes: the longest shipped lesson is about 35 kB; beyond this it is not a lesson someone wrote. */
export const LESSON_MAX_BYTES = 1024 * 1024;

/**
 * A lesson file's text, or the problem with it: read through the bounded reader, so a pipe (which would block),
 * a device (`/dev/zero` never ends), a directory or a huge file is one `file: message` problem.
 */
function readLessonFile(file: string): string | LessonProblem {
  try {
    return readInputFile(file, LESSON_MAX_BYTES, 'a lesson').toString('utf8');
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    // The reader's message starts with the file name; the problem carries the file on its own.
    const prefix = `${fileLabel(file)}: `;
    return { file, line: 0, message: e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message };
  }
}

/** Lesson files are named `NN-id.md`, the number giving their order on the course map. */
const LESSON_FILE = /^(\d+)-([^/\\]+)\.md$/;

/** `file:line: message`, or `file: message` for a problem with the whole file; safe for a terminal (messages quote the file). */
export function formatProblem(p: LessonProblem): string {
  return safeLine(p.line > 0 ? `${p.file}:${p.line}: ${p.message}` : `${p.file}: ${p.message}`, 2000);
}

/**
 * Reads a folder of lessons, or one lesson file, each file's text with `read` (null: stop, give null): every
 * problem, plus the lessons that passed.
 */
export function collectLessons(dirOrFile: string, read: (text: string, file: string) => ReadLesson | null): LessonCheck | null {
  let files: string[];
  const problems: LessonProblem[] = [];
  try {
    if (statSync(dirOrFile).isDirectory()) {
      files = readdirSync(dirOrFile)
        .filter((name) => name.toLowerCase().endsWith('.md') && name.toLowerCase() !== 'readme.md')
        .sort()
        .map((name) => join(dirOrFile, name));
    } else {
      files = [dirOrFile];
    }
  } catch (e) {
    return {
      files: 0,
      lessons: [],
      problems: [{ file: dirOrFile, line: 0, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }],
    };
  }

  const lessons: Lesson[] = [];
  const byId = new Map<string, string>();
  for (const file of files) {
    const text = readLessonFile(file);
    if (typeof text !== 'string') {
      problems.push(text);
      continue;
    }
    const result = read(text, file);
    if (result === null) return null;
    problems.push(...result.problems);
    const name = LESSON_FILE.exec(basename(file));
    if (!name) {
      problems.push({ file, line: 0, message: 'lesson files are named `NN-id.md` (e.g. `02-river.md`)' });
      continue;
    }
    const lesson = result.lesson;
    if (!lesson) continue;
    if (name[2] !== lesson.id) {
      problems.push({ file, line: lesson.fieldLines?.id ?? 1, message: `lesson id \`${lesson.id}\` does not match the file name (expected \`${name[2]}\`)` });
      continue;
    }
    const other = byId.get(lesson.id);
    if (other !== undefined) {
      problems.push({ file, line: lesson.fieldLines?.id ?? 1, message: `lesson id \`${lesson.id}\` is also used by ${other}` });
      continue;
    }
    byId.set(lesson.id, file);
    lessons.push({ ...lesson, file: resolve(file) });
  }
  lessons.sort((a, b) => a.session - b.session || basename(a.file).localeCompare(basename(b.file)));
  return { files: files.length, lessons, problems };
}
