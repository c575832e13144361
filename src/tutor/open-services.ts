// Builds the real services the TUI and the CLI share: the student's store, the lessons, seeds, experiments, grading.
import type { TutorServices } from './services.js';
import { openStore, type Store } from '../store/index.js';
import { gradeAnswer } from '../lessons/grade.js';
import { openLessons } from '../lessons/open.js';
import type { LoadedLessons } from '../lessons/files.js';
import { currentUser } from '../store/paths.js';
import { localRunner } from '../runner/local.js';
import { slurmLabel, slurmSetup } from '../runner/setup.js';
import type { Runner } from '../runner/types.js';
import { seedFromString } from '../util/rng.js';
import { dirname } from 'node:path';
import { withCourseSink } from '../course/sink.js';

/** The services plus what the caller must print and close. */
export interface OpenedServices {
  /** Services for the TUI. */
  services: TutorServices;
  /** The store, to close on exit. */
  store: Store;
  /** Warnings to show once (damaged database moved aside, network filesystem…). */
  warnings: string[];
}

/**
 * Opens the student's store and loads the lessons (from `lessonsDir`, else the packaged ones). The lesson engine and
 * the experiments load when first needed, not before the first frame.
 */
export async function openServices(options: { lessonsDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<OpenedServices> {
  const env = options.env ?? process.env;
  return servicesWith(await openLessons(options.lessonsDir ?? env.EDS_LESSONS_DIR ?? undefined), { env });
}

/** The services over lessons already loaded: opens the student's store. */
export function servicesWith(loaded: LoadedLessons, options: { env?: NodeJS.ProcessEnv } = {}): OpenedServices {
  const env = options.env ?? process.env;
  const store = withCourseSink(openStore({ env }), env);
  const user = currentUser(env);
  const { lessons, problems } = loaded;
  let backend = store.setting('backend') ?? 'backend: not loaded yet';
  // Slurm is offered where the course's course.json or the student's config enables it; a broken setting keeps it off.
  const setup = slurmSetup(env);
  // The runner itself (zod, the task declarations) loads with the first job, not before the first frame.
  let slurmRunner: Promise<Runner> | undefined;
  const slurm = setup.enabled ? () => (slurmRunner ??= import('../runner/index.js').then(({ makeSlurmRunner }) => makeSlurmRunner(setup.settings, env))) : null;
  // The warnings at opening are printed by the caller; later ones (the course directory failing mid-session) are taken by the TUI.
  let warningsTaken = store.warnings.length;
  const services: TutorServices = {
    store,
    lessons,
    problems,
    user,
    seedFor: (lessonId) => lessonSeed(store, user, lessonId),
    ...(slurm ? { slurm: { label: slurmLabel(setup.settings) } } : {}),
    runTask: async (task, opts, seed, callbacks, run = {}) => {
      const runner = run.where === 'slurm' && slurm ? await slurm() : localRunner;
      const request = {
        task,
        options: opts,
        seed,
        surface: 'lesson' as const,
        context: { home: dirname(store.path), user: store.user },
        ...(run.caps ? { caps: run.caps } : {}),
        ...(run.tallHeight !== undefined ? { tallHeight: run.tallHeight } : {}),
      };
      const result = await runner.run(request, callbacks, { ...(run.signal ? { signal: run.signal } : {}), ...(run.onJob ? { onJob: run.onJob } : {}) });
      // The status line shows the neural-network backend once one has really run (a job's ran on its node).
      if (typeof result.json.backend === 'string') {
        const node = typeof result.json.slurm_node === 'string' ? ` on ${result.json.slurm_node}` : '';
        backend = `backend: ${result.json.backend}${node}`;
        store.setSetting('backend', backend);
      }
      if (result.json.task === 'train') await logLeaderboard(store, result.json, seed);
      return result;
    },
    grade: (question, answer, context) => gradeAnswer(question, answer, context),
    backendLabel: () => backend,
    now: () => Date.now(),
    takeWarnings: () => {
      const fresh = store.warnings.slice(warningsTaken);
      warningsTaken += fresh.length;
      return fresh;
    },
  };
  return { services, store, warnings: [...store.warnings] };
}

/** A student's seed for a lesson's data: derived from their login, kept in the store so it never changes under them. */
export function lessonSeed(store: Pick<Store, 'setting' | 'setSetting'>, user: string, lessonId: string): number {
  const key = `seed:${lessonId}`;
  const saved = store.setting(key);
  if (saved !== null && /^\d+$/.test(saved)) return Number(saved);
  const seed = studentSeed(user, lessonId);
  store.setSetting(key, String(seed));
  return seed;
}

/** The seed a student's data for a lesson is first drawn with: a function of their login and the lesson only. */
export function studentSeed(user: string, lessonId: string): number {
  return seedFromString(`${user}:${lessonId}`) % 1_000_000;
}

/**
 * The course leaderboard (≥ 95 % test accuracy, < 5 min, fewest parameters) keeps the student's best run; a new
 * best is also logged as an answer, so it reaches the course directory and the instructors' reports.
 */
export async function logLeaderboard(
  store: Pick<Store, 'setting' | 'setSetting' | 'recordAttempt'>,
  json: Record<string, unknown>,
  seed: number,
): Promise<boolean> {
  const { recordTrainResult } = await import('../leaderboard/rules.js');
  const before = store.setting('leaderboard:digits');
  const best = recordTrainResult(store, json);
  if (!best || store.setting('leaderboard:digits') === before) return false;
  store.recordAttempt({ lesson: 'neural', question: 'leaderboard-digits', answer: JSON.stringify(best), correct: true, secondsSpent: 0, seed });
  return true;
}
