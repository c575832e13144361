// `eds project` at a terminal: the real services under the project screen (the comparison, the store, the exports) and what they did, for the CLI to report after the screen closes.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Store } from '../store/types.js';
import type { ProjectServices } from '../tui/project/services.js';
import type { CompareOptions } from './compare.js';
import { compareInBackground } from './background.js';
import type { ProjectData } from './data.js';
import { writeExports, type ExportTargets } from './export.js';
import type { Overview } from './overview.js';
import { PROJECT_LESSON, type InterpretationAnswer } from './prompts.js';

/** What {@link projectSession} needs. */
export interface ProjectSessionInput {
  /** The data file as the student named it (written into the exports). */
  file: string;
  /** The data as read. */
  data: ProjectData;
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
  const key = answersSetting(input.file, data.target, options.seed ?? 0);
  const earlier = readAnswers(store.setting(key));
  const session: ProjectSession = {
    written: [],
    services: {
      data,
      overview,
      user: store.user,
      targets,
      folder: resolve('.'),
      compare: (onStatus, signal) => compareInBackground({ X: data.X, y: data.y, nClasses: data.labels.length, options }, onStatus, signal),
      earlierAnswers: Object.values(earlier),
      recordAnswer: (answer: InterpretationAnswer) => {
        // As the plain prompt logged them: an attempt of the project pseudo-lesson, read by the instructor, not graded.
        store.recordAttempt({ lesson: PROJECT_LESSON, question: answer.id, answer: answer.text, correct: null, secondsSpent: answer.seconds, seed: options.seed ?? 0 });
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

/** The store setting of a student's answers on one data file, target and seed (the same project, another session). */
export function answersSetting(file: string, target: string, seed: number): string {
  return `project:answers:${createHash('sha256').update(`${resolve(file)}\u0000${target}\u0000${seed}`).digest('hex').slice(0, 16)}`;
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
