// Session 6 (synthesis) experiment tasks: `review` (the student's own results and most-missed questions), `frugal` (score against parameters, time and energy), `attention`.
import { renderBarChart } from '../render/bar.js';
import { renderScatter } from '../render/scatter.js';
import { renderPanels } from '../render/panels.js';
import type { RenderCaps } from '../render/caps.js';
import { safeLine } from '../util/safe-text.js';
import type { Store } from '../store/types.js';
import { keyValueFigure } from './common.js';
import type { AttentionTaskOptions, FrugalTaskOptions } from '../tasks/options.js';
import type { ExperimentCallbacks, ExperimentResult, Figure, TaskContext } from './types.js';
import { LEADERBOARD_QUESTION } from '../leaderboard/ranking.js';
import type { Lesson, QuestionStep } from '../lessons/types.js';
import { legacyPredictionCorrect } from '../lessons/legacy.js';
import { reviewFigure, stepRuns, type ReviewRun } from './review-view.js';
import { round } from '../util/stats.js';

// ---------------------------------------------------------------------------------------------- review

/** One question's record in the student's log. */
export interface QuestionRecord {
  /** Lesson id. */
  lesson: string;
  /** Question id. */
  question: string;
  /** Graded attempts, predictions included (project texts, logged ungraded, excluded). */
  attempts: number;
  /** Wrong attempts. */
  wrong: number;
  /** Whether the first graded attempt was right. */
  firstTry: boolean;
}

/** What the review found in the student's store. */
export interface Review {
  /** Lessons started, most recently touched first: id, finished steps and the numbers each experiment step last showed. */
  lessons: { lesson: string; completed: number; results: Record<string, Record<string, number | string>>; runs: Record<string, ReviewRun[]> }[];
  /** Every graded question the student answered. */
  questions: QuestionRecord[];
  /** Questions with at least one wrong attempt, most wrong attempts first (at most 8). */
  mostMissed: QuestionRecord[];
  /** Share of answered questions right at the first attempt (0–1); NaN when none. */
  firstTryShare: number;
}

/**
 * Reads the student's progress and attempt log. Pure over the store and `lessons`: the lessons tell what a
 * prediction an older eds logged with `correct = NULL` showed (right or wrong), so it is reviewed as seen.
 */
export function reviewStore(store: Pick<Store, 'allProgress' | 'attempts'>, lessons: readonly Lesson[] = []): Review {
  const progress = store.allProgress();
  const started = progress.map((p) => ({
    lesson: p.lesson,
    completed: p.completed.length,
    results: Object.fromEntries(
      Object.entries(p.states)
        .filter(([, s]) => s.results && Object.keys(s.results).length > 0)
        .map(([id, s]) => [id, s.results!]),
    ),
    // Every run kept with each experiment step, not only the last: the review lists them all.
    runs: Object.fromEntries(
      Object.entries(p.states)
        .map(([id, s]) => [id, stepRuns(s)] as const)
        .filter(([, runs]) => runs.length > 0),
    ),
  }));
  const byQuestion = new Map<string, QuestionRecord>();
  for (const a of store.attempts()) {
    // A leaderboard entry is logged like an answer without being one.
    if (a.lesson === LEADERBOARD_QUESTION.lesson && a.question === LEADERBOARD_QUESTION.question) continue;
    // A self-assessed text answer awaits the instructor's verdict: it is neither right nor wrong yet.
    if (a.grading === 'review') continue;
    // Ungraded texts (the project's) stay out; an old prediction logged with NULL counts as it was shown.
    const correct = a.correct ?? legacyVerdict(lessons, progress, a.lesson, a.question, a.answer);
    if (correct === null) continue;
    const key = `${a.lesson}/${a.question}`;
    let rec = byQuestion.get(key);
    if (!rec) {
      rec = { lesson: a.lesson, question: a.question, attempts: 0, wrong: 0, firstTry: correct };
      byQuestion.set(key, rec);
    }
    rec.attempts++;
    if (!correct) rec.wrong++;
  }
  const questions = [...byQuestion.values()];
  const mostMissed = questions
    .filter((q) => q.wrong > 0)
    .sort((a, b) => b.wrong - a.wrong || a.lesson.localeCompare(b.lesson) || a.question.localeCompare(b.question))
    .slice(0, 8);
  const firstTryShare = questions.length === 0 ? Number.NaN : questions.filter((q) => q.firstTry).length / questions.length;
  return { lessons: started, questions, mostMissed, firstTryShare };
}

/**
 * The verdict of an attempt logged with `correct = NULL`: a prediction of an older eds, read from its answer and
 * the saved results of its experiment (as `eds progress` reads it); null when it is no prediction or cannot be told.
 */
function legacyVerdict(
  lessons: readonly Lesson[],
  progress: ReturnType<Store['allProgress']>,
  lessonId: string,
  questionId: string,
  answer: string,
): boolean | null {
  const q = lessons.find((l) => l.id === lessonId)?.steps.find((s): s is QuestionStep => s.kind === 'question' && s.id === questionId);
  if (!q) return null;
  const exp = q.answer?.kind === 'result' ? q.answer.step : q.experiment;
  const saved = exp !== undefined ? progress.find((p) => p.lesson === lessonId)?.states[exp] : undefined;
  return legacyPredictionCorrect(q, answer, saved?.results, saved?.options);
}

/** `review` task: the review of the student's own store (`EDS_HOME`). */
export async function runReviewTask(_options?: unknown, _seed?: number, _callbacks?: ExperimentCallbacks, context?: TaskContext): Promise<ExperimentResult> {
  const { openStore } = await import('../store/index.js');
  const { loadLessons } = await import('../lessons/load.js');
  // The lessons the tutor offers (as eds loads them), to read predictions an older eds logged without a verdict.
  const { lessons } = loadLessons(process.env.EDS_LESSONS_DIR || undefined);
  const store = openStore(context ?? {});
  let review: Review;
  try {
    review = reviewStore(store, lessons);
  } finally {
    store.close();
  }
  return {
    json: {
      task: 'review',
      lessons_started: review.lessons.length,
      questions_answered: review.questions.length,
      first_try_share: Number.isNaN(review.firstTryShare) ? null : Number(review.firstTryShare.toFixed(4)),
      wrong_attempts: review.questions.reduce((s, q) => s + q.wrong, 0),
      most_missed: review.mostMissed.map((q) => ({ lesson: q.lesson, question: q.question, wrong: q.wrong, attempts: q.attempts })),
      lessons: review.lessons,
    },
    figures: [
      reviewFigure(review.lessons, lessons),
      {
        title: 'Questions you missed most (wrong attempts)',
        render: (caps) =>
          review.mostMissed.length > 0
            ? renderBarChart(
                review.mostMissed.map((q) => ({ label: `${q.lesson}/${q.question}`, value: q.wrong })),
                caps,
                { sort: true },
              )
            : 'No wrong attempts logged yet.',
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------- frugal

/** Electrical power assumed while training, watts, per kind of hardware; energy = time × power. */
export const POWER_W = {
  /** One busy CPU core of a server socket (about a 150 W socket shared by 10 cores). */
  cpu: 15,
  /** A data-centre GPU under training load (an H100 is rated 350–700 W; 300 W is a typical average). */
  gpu: 300,
} as const;

/** One point of the frugality chart. */
export interface FrugalRun {
  /** Name shown in the table. */
  name: string;
  /** Where it came from: `reference` (run now) or `yours` (a result saved in your lessons). */
  origin: 'reference' | 'yours';
  /** The data set it was scored on ("breast cancer", "digits"): accuracies of different data sets share no axis. */
  dataset: string;
  /** Trainable parameters. */
  parameters: number;
  /** Training time, s. */
  seconds: number;
  /** Estimated energy, J (seconds × the power of the hardware). */
  energyJ: number;
  /** Test accuracy (0–1). */
  accuracy: number;
}

/** Hidden-layer widths of the reference MLPs: a factor 4 between each, from a toy to an over-sized network. */
export const FRUGAL_WIDTHS = [1, 4, 16, 64, 256];

/** The data set of the reference models. */
export const FRUGAL_REFERENCE_DATASET = 'breast cancer';

/** Trains the reference models on the breast-cancer data (a 75/25 stratified split) and measures each. */
export async function frugalReference(seed: number, epochs: number): Promise<FrugalRun[]> {
  const { join } = await import('node:path');
  const { PACKAGE_ROOT } = await import('../version.js');
  const { loadProjectData } = await import('../project/data.js');
  const { createClassifier } = await import('../ml/catalogue.js');
  const { accuracy } = await import('../ml/metrics.js');
  const { stratifiedSplit, take } = await import('../ml/validation.js');
  const data = await loadProjectData(join(PACKAGE_ROOT, 'datasets/breast-cancer/breast-cancer.csv'), { target: 'diagnosis' });
  const split = stratifiedSplit(data.y, 0.25, seed);
  const [Xtr, ytr, Xte, yte] = [take(data.X, split.train), take(data.y, split.train), take(data.X, split.test), take(data.y, split.test)];
  const d = data.featureNames.length;
  const runs: FrugalRun[] = [];
  const measure = (name: string, parameters: number, model: { fit(X: number[][], y: number[]): unknown; predict(X: number[][]): number[] }) => {
    const t0 = performance.now();
    model.fit(Xtr, ytr);
    const seconds = (performance.now() - t0) / 1000;
    runs.push({
      name,
      origin: 'reference',
      dataset: FRUGAL_REFERENCE_DATASET,
      parameters,
      seconds,
      energyJ: seconds * POWER_W.cpu,
      accuracy: accuracy(yte, model.predict(Xte)),
    });
  };
  measure('logistic regression', d + 1, createClassifier('logreg'));
  for (const h of FRUGAL_WIDTHS) measure(`MLP ${h} hidden`, d * h + h + h * 2 + 2, createClassifier('mlp', { hidden: h, epochs }, seed));
  return runs;
}

const PARAM_KEYS = ['parameters', 'params', 'n_params', 'param_count'];
const TIME_KEYS = ['seconds_train', 'train_seconds', 'seconds', 'fit_seconds'];
const SCORE_KEYS = ['accuracy', 'test_accuracy', 'accuracy_test'];

/** The student's own trained models from their saved experiment results: those that report parameters, time and accuracy. */
export function frugalFromReview(review: Review): FrugalRun[] {
  const pick = (r: Record<string, number | string>, keys: string[]) => {
    for (const k of keys) if (typeof r[k] === 'number' && Number.isFinite(r[k])) return r[k] as number;
    return undefined;
  };
  const runs: FrugalRun[] = [];
  for (const l of review.lessons)
    for (const [step, r] of Object.entries(l.results)) {
      const parameters = pick(r, PARAM_KEYS);
      const accuracy = pick(r, SCORE_KEYS);
      let seconds = pick(r, TIME_KEYS);
      const perEpoch = pick(r, ['seconds_per_epoch']);
      const epochs = pick(r, ['epochs']);
      if (seconds === undefined && perEpoch !== undefined && epochs !== undefined) seconds = perEpoch * epochs;
      if (parameters === undefined || accuracy === undefined || seconds === undefined) continue;
      const power = r.backend === 'gpu' ? POWER_W.gpu : POWER_W.cpu;
      // The data set the run names, else its lesson's: two lessons' runs are never put on one accuracy axis.
      const dataset = typeof r.dataset === 'string' && r.dataset ? safeLine(r.dataset, 40) : `lesson ${l.lesson}`;
      runs.push({
        name: `${l.lesson}/${step}`,
        origin: 'yours',
        dataset,
        parameters,
        seconds,
        energyJ: seconds * power,
        accuracy: accuracy > 1 ? accuracy / 100 : accuracy,
      });
    }
  return runs;
}

/** `frugal` task: reference runs plus the student's own, score against energy. */
export async function runFrugalTask(
  options: FrugalTaskOptions,
  seed: number,
  callbacks?: ExperimentCallbacks,
  context?: TaskContext,
): Promise<ExperimentResult> {
  const { epochs } = options;
  callbacks?.onStatus?.('training the reference models…');
  const reference = await frugalReference(seed, epochs);
  let yours: FrugalRun[] = [];
  if (options.mine !== 'no') {
    const { openStore } = await import('../store/index.js');
    const store = openStore(context ?? {});
    try {
      yours = frugalFromReview(reviewStore(store));
    } finally {
      store.close();
    }
  }
  const all = [...reference, ...yours];
  const best = Math.max(...reference.map((r) => r.accuracy));
  // The smallest reference model within one percentage point of the best: the usual "good enough" answer.
  // Chosen by parameters, not measured time, so the answer does not depend on how busy the machine was.
  const enough = reference.filter((r) => r.accuracy >= best - 0.01).sort((a, b) => a.parameters - b.parameters)[0]!;
  const largest = reference.reduce((a, b) => (b.parameters > a.parameters ? b : a));
  return {
    json: {
      task: 'frugal',
      seed,
      epochs,
      power_w: POWER_W,
      reference: reference.map((r) => ({
        name: r.name,
        parameters: r.parameters,
        seconds: round(r.seconds, 4),
        energy_j: round(r.energyJ, 4),
        accuracy: round(r.accuracy, 4),
      })),
      yours: yours.map((r) => ({
        name: r.name,
        parameters: r.parameters,
        seconds: round(r.seconds, 4),
        energy_j: round(r.energyJ, 4),
        accuracy: round(r.accuracy, 4),
      })),
      best_accuracy: round(best, 4),
      good_enough_model: enough.name,
      good_enough_parameters: enough.parameters,
      largest_parameters: largest.parameters,
      largest_accuracy: round(largest.accuracy, 4),
      parameter_ratio: round(largest.parameters / enough.parameters, 4),
      energy_ratio: round(largest.energyJ / enough.energyJ, 4),
    },
    figures: [
      frugalFigure(all),
      keyValueFigure(
        'Runs: parameters, training time, energy, accuracy',
        all.map((r) => [
          `${r.origin === 'yours' ? '* ' : ''}${r.name} (${r.dataset})`,
          `${r.parameters} params  ${r.seconds.toFixed(3)} s  ${r.energyJ.toPrecision(3)} J  acc ${r.accuracy.toFixed(3)}`,
        ]),
      ),
    ],
  };
}

/**
 * Test accuracy against training energy, one panel per data set (an accuracy on digits and one on breast cancer
 * measure different things), all panels on the same energy range so that costs still compare across them.
 */
export function frugalFigure(runs: readonly FrugalRun[]): Figure {
  const datasets = [...new Set(runs.map((r) => r.dataset))];
  const energies = runs.map((r) => r.energyJ).filter((e) => Number.isFinite(e) && e > 0);
  const xAxis = { label: 'energy', unit: 'J', log: true, ...(energies.length ? { min: Math.min(...energies), max: Math.max(...energies) } : {}) };
  const panel = (dataset: string) => (caps: RenderCaps) => {
    const mine = runs.filter((r) => r.dataset === dataset);
    const groups = (['reference', 'yours'] as const)
      .map((origin) => ({ origin, list: mine.filter((r) => r.origin === origin) }))
      .filter((g) => g.list.length > 0)
      .map((g) => ({ name: g.origin === 'yours' ? 'your runs' : 'reference models', x: g.list.map((r) => r.energyJ), y: g.list.map((r) => r.accuracy) }));
    return renderScatter(groups, caps, { title: `${dataset}: test accuracy`, xAxis, yAxis: { label: 'accuracy' }, mode: 'markers' });
  };
  return {
    title: `Test accuracy against estimated training energy, one panel per data set (J = s × ${POWER_W.cpu} W per CPU core, ${POWER_W.gpu} W per GPU)`,
    render: (caps) => renderPanels(datasets.map(panel), caps),
  };
}

// ---------------------------------------------------------------------------------------------- attention

/** `attention` task: string options from a lesson or the command line. */
export async function runAttentionTask(options: AttentionTaskOptions, seed: number, callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  const { runAttention } = await import('./attention.js');
  return runAttention({ ...options, seed }, callbacks);
}
