// A lesson in progress: the current step, each step's live state, answering, running and saving.
import { useMemo, useRef, useState } from 'react';
import type { ExperimentRun, ExperimentStep, Grade, GradeContext, Lesson, QuestionStep, Step } from '../../lessons/types.js';
import { gradeDetail } from '../../lessons/grade.js';
import type { TutorServices } from '../../tutor/services.js';
import {
  choiceAnswerText,
  feedbackFor,
  initialUi,
  isFinished,
  isTyping,
  MAX_ANSWER_CHARS,
  optionNames,
  recordRun,
  toSaved,
  type ExperimentUi,
  type PendingReview,
  type QuestionUi,
  type StepUi,
} from '../../tutor/step-ui.js';
import { liveEpoch, liveProgress, liveStatus, liveTick, RUN_TICK_MS, startLive, type RunLive } from '../../tutor/run-view.js';
import { figureHeight, type RunPlace } from '../../tutor/step-view.js';
import type { RenderCaps } from '../../render/caps.js';
import type { JobInfo } from '../../runner/types.js';

/** A Slurm job running for a step of this lesson. */
export interface LessonJob {
  /** The experiment step it runs. */
  step: string;
  /** The predict question waiting for it, if one is. */
  asked?: string;
  /** The job, as Slurm last reported it (null until sbatch answers). */
  job: JobInfo | null;
  /** Cancels it. */
  abort: AbortController;
  /** Settles when the run has ended (cancelled included). */
  done: Promise<unknown>;
}

/** What the lesson screen can do. */
export interface LessonSession {
  index: number;
  step: Step;
  ui: StepUi;
  /** A one-line notice (e.g. "answer the question first"). */
  notice: string | null;
  /** True once the student moved past the last step. */
  finished: boolean;
  go(delta: 1 | -1): void;
  moveCursor(delta: number): void;
  changeOption(delta: number): void;
  toggle(): void;
  type(text: string): void;
  backspace(): void;
  submit(): void;
  run(): void;
  /** Where the next run goes when the course offers Slurm (null when it does not). */
  place: RunPlace | null;
  /** Switches the next runs between here and Slurm; false when Slurm is not offered. */
  switchWhere(): boolean;
  /** The Slurm jobs running for `stepId` (an experiment, or the predict question waiting for one), or for any step. */
  slurmJobs(stepId?: string): LessonJob[];
  /** Cancels those jobs (scancel) and waits until they have ended. */
  cancelJobs(jobs: readonly LessonJob[]): Promise<void>;
  /** Review mode: the student's answer to "does your answer cover the model answer?". */
  selfAssess(covers: boolean): void;
  /** Whether keys type text right now (read at the keypress, not from the last frame). */
  typingNow(): boolean;
  /** The current step and its state, read at the keypress. */
  now(): { step: Step; ui: StepUi };
}

/**
 * Runs a lesson against the services, starting at `startIndex`.
 *
 * The current step and every step's state live in refs that actions update synchronously, and React state only
 * mirrors them for drawing: keys typed faster than frames are drawn (a paste, key repeat over SSH) must each act
 * on the state the previous key left, not on the last frame's.
 */
export function useLesson(lesson: Lesson, services: TutorServices, startIndex: number, figureCaps?: RenderCaps): LessonSession {
  const { store } = services;
  // A job draws its figures on its node, at the size the step has when it is submitted.
  const capsRef = useRef(figureCaps);
  capsRef.current = figureCaps;
  // Where the course offers Slurm, runs go there unless the student says here (s), for the whole lesson.
  const slurmRef = useRef(services.slurm !== undefined);
  const jobsRef = useRef<LessonJob[]>([]);
  const seed = useMemo(() => services.seedFor(lesson.id), [services, lesson.id]);
  const saved = useMemo(() => store.progress(lesson.id), [store, lesson.id]);
  const indexRef = useRef(clamp(startIndex, 0, lesson.steps.length - 1));
  const uisRef = useRef<Record<string, StepUi>>({});
  const [, redraw] = useState(0);
  const [finished, setFinished] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const bump = () => redraw((n) => n + 1);

  const uiOf = (step: Step): StepUi => {
    const live = uisRef.current[step.id];
    if (live) return live;
    const attempts = step.kind === 'question' ? store.attemptCount(lesson.id, step.id) : 0;
    const ui = initialUi(step, saved?.states[step.id], attempts, services.now());
    uisRef.current = { ...uisRef.current, [step.id]: ui };
    return ui;
  };
  const current = () => {
    const step = lesson.steps[indexRef.current]!;
    return { index: indexRef.current, step, ui: uiOf(step) };
  };

  /** Replaces a step's state, persists it, and marks it finished when it is. */
  const update = (target: Step, next: StepUi, position: number) => {
    uisRef.current = { ...uisRef.current, [target.id]: next };
    store.saveStep(lesson.id, target.id, position, toSaved(next));
    if (target.kind !== 'page' && isFinished(target, next)) store.completeStep(lesson.id, target.id);
    bump();
  };

  /** Logs an attempt; on failure says so in the notice line and returns false. */
  const tryRecord = (input: Parameters<TutorServices['store']['recordAttempt']>[0]): boolean => {
    try {
      store.recordAttempt(input);
      return true;
    } catch (err) {
      setNotice(`Your answer could not be saved (${err instanceof Error ? err.message : String(err)}); try again.`);
      return false;
    }
  };

  /** What grading reads: each experiment's latest results and every run kept, by experiment id, and the attempt number. */
  const gradeContext = (attempt: number): GradeContext => {
    const results: GradeContext['results'] = {};
    const runs: Record<string, ExperimentRun[]> = {};
    for (const s of lesson.steps) {
      if (s.kind !== 'experiment') continue;
      const r = uiOf(s);
      if (r.kind !== 'experiment') continue;
      if (r.results) results[s.id] = r.results as Record<string, number | string>;
      if (r.runs.length > 0) runs[s.id] = r.runs;
    }
    return { results, runs, attempt };
  };

  const go = (delta: 1 | -1) => {
    const { index, step, ui } = current();
    setNotice(null);
    if (delta === 1 && !isFinished(step, ui)) {
      setNotice(step.kind === 'experiment' ? 'Run the experiment first (Enter).' : 'Answer the question first.');
      return;
    }
    if (delta === 1 && step.kind === 'page') store.completeStep(lesson.id, step.id);
    const target = index + delta;
    if (target < 0) return;
    if (target >= lesson.steps.length) {
      setFinished(true);
      return;
    }
    const nextStep = lesson.steps[target]!;
    const nextUi = uiOf(nextStep);
    indexRef.current = target;
    update(nextStep, nextUi.kind === 'question' ? { ...nextUi, shownAt: services.now() } : nextUi, target);
  };

  const moveCursor = (delta: number) => {
    const { index, step, ui } = current();
    if (ui.kind === 'question' && step.kind === 'question' && step.options.length > 0) {
      const n = step.options.length;
      update(step, { ...ui, cursor: (ui.cursor + delta + n) % n }, index);
    } else if (ui.kind === 'experiment' && step.kind === 'experiment') {
      const n = optionNames(step).length;
      if (n > 0) update(step, { ...ui, cursor: (ui.cursor + delta + n) % n }, index);
    }
  };

  const changeOption = (delta: number) => {
    const { index, step, ui } = current();
    if (ui.kind !== 'experiment' || step.kind !== 'experiment' || ui.running) return;
    const name = optionNames(step)[ui.cursor];
    if (!name) return;
    const allowed = step.choices[name] ?? [];
    const at = allowed.indexOf(ui.values[name] ?? '');
    const value = allowed[(at + delta + allowed.length) % allowed.length]!;
    update(step, { ...ui, values: { ...ui.values, [name]: value } }, index);
  };

  const toggle = () => {
    const { index, step, ui } = current();
    if (ui.kind !== 'question' || step.kind !== 'question' || ui.solved || ui.revealed || ui.phase !== 'answer') return;
    if (step.type === 'multiple') {
      const picked = ui.picked.includes(ui.cursor) ? ui.picked.filter((i) => i !== ui.cursor) : [...ui.picked, ui.cursor].sort((a, b) => a - b);
      update(step, { ...ui, picked }, index);
    } else if (step.options.length > 0) {
      update(step, { ...ui, picked: [ui.cursor] }, index);
    }
  };

  const type = (text: string) => {
    const { index, step, ui } = current();
    // Only an open answer field takes text: a committed prediction or an answer under review cannot change.
    if (ui.kind === 'question' && isTyping(step, ui)) update(step, { ...ui, input: (ui.input + text).slice(0, MAX_ANSWER_CHARS) }, index);
  };
  const backspace = () => {
    const { index, step, ui } = current();
    if (ui.kind === 'question' && isTyping(step, ui)) update(step, { ...ui, input: ui.input.slice(0, -1) }, index);
  };

  /**
   * Runs an experiment step with its current options (with `set` applied: the run a predict question names) and
   * keeps its results, and the run among those of each option combination. While it runs, the step (and `asked`,
   * the predict question waiting for it) shows a spinner, the task's status, one bar for the whole run and the
   * curves after each epoch: kept in the state, not saved, and drawn on a timer, not at every report.
   */
  const runExperiment = async (
    exp: ExperimentStep,
    position: number,
    set: Record<string, string> = {},
    asked?: QuestionStep,
  ): Promise<Record<string, unknown> | null> => {
    const current = uiOf(exp) as ExperimentUi;
    const before: ExperimentUi = { ...current, values: { ...current.values, ...set } };
    update(exp, { ...before, running: true, status: '', error: null, live: startLive() }, position);
    const change = (next: (live: RunLive) => RunLive) => {
      const now = uisRef.current[exp.id];
      if (now?.kind !== 'experiment' || !now.running) return;
      const live = next(now.live ?? startLive());
      // Progress is shown, not saved: no database write per epoch.
      const mirrored: Record<string, StepUi> = { [exp.id]: { ...now, live, status: live.status } };
      const question = asked ? uisRef.current[asked.id] : undefined;
      if (asked && question?.kind === 'question' && question.phase === 'running') mirrored[asked.id] = { ...question, live };
      uisRef.current = { ...uisRef.current, ...mirrored };
    };
    const started = performance.now();
    const asJob = slurmRef.current && services.slurm !== undefined;
    const abort = new AbortController();
    let settle: (v: unknown) => void = () => undefined;
    const entry: LessonJob = { step: exp.id, ...(asked ? { asked: asked.id } : {}), job: null, abort, done: new Promise((r) => (settle = r)) };
    if (asJob) jobsRef.current = [...jobsRef.current, entry];
    const onJob = (job: JobInfo) => {
      entry.job = job;
      const now = uisRef.current[exp.id];
      if (now?.kind === 'experiment' && now.running) uisRef.current = { ...uisRef.current, [exp.id]: { ...now, job } };
    };
    const caps = capsRef.current;
    // One redraw per tick: the spinner moves, and whatever the task reported since is drawn with it.
    const timer = setInterval(() => {
      change((live) => liveTick(live, performance.now() - started));
      bump();
    }, RUN_TICK_MS);
    try {
      // The frame that says the run started (and marks the last results stale) reaches the screen before the task
      // takes the CPU: Ink draws at most every 1000/maxFps ms, on a timer a task computing on this thread holds up.
      await new Promise((resolve) => setTimeout(resolve, FIRST_FRAME_MS));
      const result = await services.runTask(
        exp.task,
        before.values,
        seed,
        {
          onEpochEnd: (epoch, logs, planned) => change((live) => liveEpoch(live, epoch, logs, planned)),
          onStatus: (status) => change((live) => liveStatus(live, status)),
          onProgress: (fraction, label) => change((live) => liveProgress(live, fraction, label)),
        },
        asJob
          ? {
              where: 'slurm',
              signal: abort.signal,
              onJob,
              ...(caps ? { caps: { ...caps, height: figureHeight(caps, false) }, tallHeight: figureHeight(caps, true) } : {}),
            }
          : {},
      );
      const done = uisRef.current[exp.id] as ExperimentUi;
      const runs = recordRun(done.runs, before.values, result.json);
      update(
        exp,
        { ...done, running: false, status: '', live: null, job: null, results: result.json, runs, figures: result.figures, restored: false, error: null },
        position,
      );
      return result.json;
    } catch (err) {
      // A job that failed, timed out or was cancelled records nothing: the step keeps what it had, and says why.
      const done = uisRef.current[exp.id] as ExperimentUi;
      update(exp, { ...done, running: false, live: null, job: null, error: err instanceof Error ? err.message.split('\n')[0]! : String(err) }, position);
      return null;
    } finally {
      clearInterval(timer);
      jobsRef.current = jobsRef.current.filter((j) => j !== entry);
      settle(null);
    }
  };

  const run = () => {
    const { index, step, ui } = current();
    if (step.kind === 'experiment' && ui.kind === 'experiment' && !ui.running) void runExperiment(step, index);
  };

  const switchWhere = (): boolean => {
    if (services.slurm === undefined) {
      setNotice('Slurm is not enabled for this course: experiments run here (eds doctor says why).');
      return false;
    }
    slurmRef.current = !slurmRef.current;
    setNotice(slurmRef.current ? `The next runs are Slurm jobs (${services.slurm.label}).` : 'The next runs are on this machine.');
    bump();
    return true;
  };

  const slurmJobs = (stepId?: string): LessonJob[] => jobsRef.current.filter((j) => stepId === undefined || j.step === stepId || j.asked === stepId);

  const cancelJobs = async (jobs: readonly LessonJob[]): Promise<void> => {
    for (const j of jobs) j.abort.abort();
    await Promise.all(jobs.map((j) => j.done));
  };
  const place: RunPlace | null = services.slurm ? { slurm: slurmRef.current, label: services.slurm.label } : null;

  /**
   * Predict, then run. The guess is saved in the step's state first (a killed process keeps it, and it cannot be
   * changed once the run is seen), then the experiment runs and the guess is graded and logged once, as shown.
   */
  const predict = (q: QuestionStep, qui: QuestionUi, answer: { value: string | number[]; text: string }, position: number) => {
    // A guess that cannot be read (letters for a number, a wrong unit) is not a prediction: said, and not committed.
    const unreadable = unreadableGuess(q, answer.value);
    if (unreadable) return setNotice(unreadable);
    const picked = Array.isArray(answer.value) ? answer.value : qui.picked;
    const pendingSeconds = (services.now() - qui.shownAt) / 1000;
    update(q, { ...qui, picked, guess: answer.text, phase: 'committed', pendingSeconds }, position);
    return checkPrediction(q, position);
  };

  /** Runs a committed prediction's experiment, then grades the saved guess and logs it before showing the verdict. */
  const checkPrediction = async (q: QuestionStep, position: number) => {
    const saved = uisRef.current[q.id];
    if (saved?.kind !== 'question' || saved.phase !== 'committed' || saved.guess === null) return;
    update(q, { ...saved, phase: 'running' }, position);
    const exp = lesson.steps.find((s) => s.id === q.experiment);
    const set = q.run?.step === exp?.id ? (q.run?.options ?? {}) : {};
    const ran = exp?.kind === 'experiment' ? await runExperiment(exp, position, set, q) : null;
    const now = { ...(uisRef.current[q.id] as QuestionUi), live: null };
    const backToCommitted = (why: string | null) => {
      update(q, { ...now, phase: 'committed' }, position);
      if (why) setNotice(why);
    };
    if (!ran || exp?.kind !== 'experiment') return backToCommitted('The experiment could not run; your prediction is saved: Enter tries again.');
    const value = q.options.length > 0 ? now.picked : now.guess!;
    const grade = services.grade(q, value, gradeContext(1));
    if (grade.invalid) {
      // Read before the commit, so this is a lesson whose run lacks the value: the guess is given back to edit.
      update(q, { ...now, phase: 'answer', guess: null, pendingSeconds: null }, position);
      return setNotice(grade.feedback);
    }
    const ranWith = (uisRef.current[exp.id] as ExperimentUi).values;
    const logged = tryRecord({
      lesson: lesson.id,
      question: q.id,
      answer: now.guess!,
      correct: grade.correct,
      secondsSpent: now.pendingSeconds ?? (services.now() - now.shownAt) / 1000,
      seed,
      grading: 'predict',
      detail: predictionDetail(q, grade, exp.id, ranWith),
    });
    // Not saved: no verdict shown; the saved guess is checked again with the next Enter.
    if (!logged) return backToCommitted(null);
    const feedback = {
      correct: grade.correct,
      text: grade.feedback,
      explain: grade.explain ?? grade.revealed?.explain ?? q.explain,
      answer: grade.correct ? undefined : grade.revealed?.answer,
    };
    update(q, { ...now, attempts: now.attempts + 1, phase: 'graded', solved: true, pendingSeconds: null, feedback }, position);
  };

  /** Why a numeric guess cannot be graded whatever the run gives (graded against a placeholder value), or null. */
  const unreadableGuess = (q: QuestionStep, value: string | number[]): string | null => {
    if (Array.isArray(value) || q.answer === undefined) return null;
    const step = q.answer.kind === 'result' ? q.answer.step : (q.experiment ?? '');
    const placeholder = q.answer.kind === 'result' ? { [q.answer.key]: 0 } : {};
    const options = q.run?.step === step ? q.run.options : {};
    const grade = services.grade(q, value, { results: { [step]: placeholder }, runs: { [step]: [{ options, results: placeholder }] }, attempt: 1 });
    return grade.invalid ? grade.feedback : null;
  };

  const submit = () => {
    const { index, step, ui } = current();
    setNotice(null);
    if (step.kind === 'experiment') return run();
    if (step.kind !== 'question' || ui.kind !== 'question') return go(1);
    if (ui.solved || ui.revealed) return go(1);
    if (ui.phase === 'running') return setNotice('The experiment is running: your prediction is checked when it ends.');
    if (ui.phase === 'committed') return void checkPrediction(step, index);
    // Review mode waits for y or n (selfAssess).
    if (ui.phase === 'review') return setNotice('Does your answer cover the model answer? Press y or n.');
    const answer = answerOf(step, ui);
    if (answer === null) {
      setNotice(step.options.length > 0 ? 'Pick an answer first (↑↓, Space).' : 'Type an answer first.');
      return;
    }
    if (step.type === 'predict') return void predict(step, ui, answer, index);
    const attempt = ui.attempts + 1;
    const grade = services.grade(step, answer.value, gradeContext(attempt));
    if (grade.invalid) {
      // Not an answer (letters for a number, an experiment not run yet): say why without spending an attempt.
      setNotice(grade.feedback);
      return;
    }
    const review = reviewOf(grade);
    if (review) {
      // Review mode: the answer is saved with the step first; the attempt is logged with the student's y/n.
      update(step, { ...ui, phase: 'review', review, pendingSeconds: (services.now() - ui.shownAt) / 1000 }, index);
      return;
    }
    // The attempt is committed before any feedback is shown: a killed process loses nothing, and an answer
    // that could not be saved (disk full, database locked) gets no feedback, so it can be given again.
    const detail = gradeDetail(grade);
    const logged = tryRecord({
      lesson: lesson.id,
      question: step.id,
      answer: answer.text,
      correct: grade.correct,
      secondsSpent: (services.now() - ui.shownAt) / 1000,
      seed,
      ...(detail ? { detail } : {}),
    });
    if (!logged) return;
    const { feedback, revealed } = feedbackFor(step, grade);
    update(
      step,
      {
        ...ui,
        picked: step.type === 'multiple' ? ui.picked : Array.isArray(answer.value) ? answer.value : ui.picked,
        attempts: attempt,
        solved: grade.correct,
        revealed,
        feedback,
      },
      index,
    );
  };

  /** Review mode: the student's y/n against the model answer is the attempt's verdict until an instructor's. */
  const selfAssess = (covers: boolean) => {
    const { index, step, ui } = current();
    setNotice(null);
    if (step.kind !== 'question' || ui.kind !== 'question' || ui.phase !== 'review' || !ui.review) return;
    const logged = tryRecord({
      lesson: lesson.id,
      question: step.id,
      answer: ui.input,
      correct: covers,
      secondsSpent: ui.pendingSeconds ?? (services.now() - ui.shownAt) / 1000,
      seed,
      grading: 'review',
      detail: { self_assessment: covers, auto: ui.review.auto },
    });
    if (!logged) return;
    const text = covers
      ? 'You said your answer covers the model answer. It is saved for your instructor, who may review it.'
      : 'You said your answer misses part of the model answer. It is saved for your instructor, who may review it.';
    update(
      step,
      {
        ...ui,
        attempts: ui.attempts + 1,
        solved: true,
        phase: 'graded',
        pendingSeconds: null,
        feedback: { correct: covers, selfAssessed: true, text, modelAnswer: ui.review.modelAnswer, explain: step.explain || undefined },
      },
      index,
    );
  };

  const { index, step, ui } = current();
  const typingNow = () => {
    const now = current();
    return isTyping(now.step, now.ui);
  };
  const now = () => {
    const c = current();
    return { step: c.step, ui: c.ui };
  };
  return {
    index,
    step,
    ui,
    notice,
    finished,
    go,
    moveCursor,
    changeOption,
    toggle,
    type,
    backspace,
    submit,
    run,
    place,
    switchWhere,
    slurmJobs,
    cancelJobs,
    selfAssess,
    typingNow,
    now,
  };
}

/** The answer as the grader wants it and as the log keeps it; null if nothing was given. */
function answerOf(step: QuestionStep, ui: QuestionUi): { value: string | number[]; text: string } | null {
  if (step.options.length > 0) {
    // Single choice answers the highlighted line; multiple choice the picked set.
    const picked = step.type === 'multiple' ? ui.picked : [ui.cursor];
    if (picked.length === 0) return null;
    return { value: picked, text: choiceAnswerText(step, picked) };
  }
  const text = ui.input.trim();
  return text === '' ? null : { value: text, text: ui.input };
}

/** A review-mode grade's model answer and automatic verdict (`Grade.review`), or null for an auto-graded answer. */
function reviewOf(grade: Grade): PendingReview | null {
  if (!grade.review) return null;
  return { modelAnswer: grade.review.modelAnswer, auto: grade.review.auto };
}

/**
 * What a graded prediction logs as its `detail`: the run it was checked against and the expected value (the
 * number, or the right choice's text), so a report can say why it was right or wrong.
 */
function predictionDetail(q: QuestionStep, grade: Grade, step: string, options: Record<string, string>): Record<string, unknown> {
  const detail: Record<string, unknown> = { run: { step, options }, ...(gradeDetail(grade) ?? {}) };
  if (q.options.length > 0 && !('expected' in detail)) {
    detail.expected = q.options
      .filter((o) => o.correct)
      .map((o) => o.text)
      .join(' | ')
      .slice(0, 200);
  }
  return detail;
}

/** Time given to the first frame of a run before the task starts (ms): more than Ink's 1000/maxFps between frames. */
const FIRST_FRAME_MS = 100;

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
