// `eds project` at a terminal: the real services under the project screen (the comparison, the store, the exports) and what they did, for the CLI to report after the screen closes.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Store } from '../store/types.js';
import type { ProjectServices } from './services.js';
import type { CompareOptions, FoldKind } from './compare.js';
import { compareInBackground } from './background.js';
import type { ProjectData } from './data.js';
import { writeExports, type ExportTargets } from './export.js';
import type { Overview } from './overview.js';
import { PROJECT_LESSON, type InterpretationAnswer } from './prompts.js';
import { safeLine } from '../util/safe-text.js';

/** What {@link projectSession} needs. */
export interface ProjectSessionInput {
  /** The data file as the student named it (written into the exports). */
  file: string;
  /** The data as read. */
  data: ProjectData;
  /** The labels file of a .npy (part of what makes the project's data). */
  labelsFile?: string;
  /** Its overview. */
  overview: Overview;
  /** Settings of the comparison (the seed is also logged with every answer). */
  options: Omit<CompareOptions, 'onStatus'>;
  /** The student's store. */
  store: Pick<Store, 'recordAttempt' | 'user' | 'setting' | 'setSetting'>;
  /** Where the exports go. */
  targets: ExportTargets;
  /** Tutor version, for the exports. */
  version: string;
  /** Clock in ms (default Date.now). */
  now?: () => number;
}

/** The services, and a record of what happened through them. */
export interface ProjectSession {
  /** For the screen. */
  services: ProjectServices;
  /** The lines of the last export ("wrote …"), empty if the student never exported. */
  written: string[];
}

/** Builds the services of one `eds project` screen. */
export function projectSession(input: ProjectSessionInput): ProjectSession {
  const { data, overview, options, store, targets } = input;
  const now = input.now ?? (() => Date.now());
  const key = answersSetting(input.file, data.target, input.labelsFile);
  const earlier = readAnswers(store.setting(key));
  const pageKey = `${key}:page`;
  const savedPage = Number(store.setting(pageKey) ?? '0');
  // Each answer names its project in the log: two projects' "choice" answers are told apart there too.
  const detail = { dataset: safeLine(data.source, 60), target: safeLine(data.target, 60), data_key: key.slice(key.lastIndexOf(':') + 1) };
  const session: ProjectSession = {
    written: [],
    services: {
      data,
      overview,
      user: store.user,
      targets,
      folder: resolve('.'),
      compare: (onStatus, signal, split?: FoldKind) => {
        const how = split ?? options.split ?? 'stratified';
        const time = how === 'time' && data.time ? { times: data.time.values, timeColumn: data.time.column } : {};
        return compareInBackground(
          { X: data.X, y: data.y, nClasses: data.labels.length, options: { ...options, split: data.time ? how : 'stratified', ...time } },
          onStatus,
          signal,
        );
      },
      split: data.time ? (options.split ?? 'stratified') : 'stratified',
      earlierAnswers: Object.values(earlier),
      startPage: Number.isInteger(savedPage) && savedPage > 0 ? savedPage : 0,
      savePage: (page: number) => store.setSetting(pageKey, String(page)),
      recordAnswer: (answer: InterpretationAnswer) => {
        // As the plain prompt logged them: an attempt of the project pseudo-lesson, read by the instructor, not graded.
        store.recordAttempt({
          lesson: PROJECT_LESSON,
          question: answer.id,
          answer: answer.text,
          correct: null,
          secondsSpent: answer.seconds,
          seed: options.seed ?? 0,
          detail,
        });
        // Kept per data file too, so a student who quits and comes back finds their answers to edit.
        earlier[answer.id] = answer;
        store.setSetting(key, JSON.stringify(earlier));
      },
      exportFiles: async (comparison, answers, onWritten) => {
        session.written = [];
        const ctx = { user: store.user, version: input.version, time: new Date(now()).toISOString(), file: input.file, answers };
        await writeExports({ data, overview, comparison }, targets, ctx, (line) => {
          session.written.push(line);
          onWritten(line);
        });
      },
      now,
    },
  };
  return session;
}

/**
 * The store setting of a student's answers on one project: the data's content (the file's bytes, and a .npy's
 * labels file) and the target column. Two projects never share answers, even in one file name overwritten with
 * other data, and the same data comes back wherever the file was copied and whatever the seed.
 */
export function answersSetting(file: string, target: string, labelsFile?: string): string {
  const hash = createHash('sha256').update(contentHash(file)).update('\u0000').update(target).update('\u0000');
  if (labelsFile !== undefined) hash.update(contentHash(labelsFile));
  return `project:answers:${hash.digest('hex').slice(0, 16)}`;
}

/** SHA-256 of a file's bytes; its resolved path when it cannot be read again (it was read once already). */
function contentHash(file: string): string {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return `path:${resolve(file)}`;
  }
}

/** The answers kept in that setting; anything unreadable counts as none (they are in the attempt log anyway). */
function readAnswers(saved: string | null): Record<string, InterpretationAnswer> {
  if (saved === null) return {};
  try {
    const value = JSON.parse(saved) as Record<string, InterpretationAnswer>;
    const out: Record<string, InterpretationAnswer> = {};
    for (const [id, a] of Object.entries(value ?? {})) {
      if (a && typeof a.text === 'string' && typeof a.seconds === 'number') out[id] = { id, text: a.text, seconds: a.seconds };
    }
    return out;
  } catch {
    return {};
  }
}
