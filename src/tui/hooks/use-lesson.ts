// A lesson in progress: the current step, each step's live state, answering, running and saving.
import { useCallback, useMemo, useRef, useState } from 'react';
import type { ExperimentStep, Lesson, QuestionStep, Step } from '../../lessons/types.js';
import type { TutorServices } from '../services.js';
import { choiceAnswerText, initialUi, isFinished, optionNames, toSaved, type ExperimentUi, type QuestionUi, type StepUi } from '../../tutor/step-ui.js';

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
}

/** Runs a lesson against the services, starting at `startIndex`. */
export function useLesson(lesson: Lesson, services: TutorServices, startIndex: number): LessonSession {
  const { store } = services;
  const seed = useMemo(() => services.seedFor(lesson.id), [services, lesson.id]);
  const [index, setIndex] = useState(() => clamp(startIndex, 0, lesson.steps.length - 1));
  const [finished, setFinished] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  // Live state of every step seen in this process, seeded from what the store saved.
  const [uis, setUis] = useState<Record<string, StepUi>>({});
  const saved = useRef(store.progress(lesson.id));
  const uisRef = useRef(uis);
  uisRef.current = uis;

  const uiOf = useCallback(
    (step: Step): StepUi => {
      const live = uisRef.current[step.id];
      if (live) return live;
      const attempts = step.kind === 'question' ? store.attemptCount(lesson.id, step.id) : 0;
      return initialUi(step, saved.current?.states[step.id], attempts, services.now());
    },
    [store, lesson.id, services],
  );

  const step = lesson.steps[index]!;
  const ui = uiOf(step);

  /** Replaces a step's state, persists it, and marks it finished when it is. */
  const update = useCallback(
    (target: Step, next: StepUi, position: number) => {
      uisRef.current = { ...uisRef.current, [target.id]: next };
      setUis(uisRef.current);
      store.saveStep(lesson.id, target.id, position, toSaved(next));
      if (target.kind !== 'page' && isFinished(target, next)) store.completeStep(lesson.id, target.id);
    },
    [store, lesson.id],
  );

  /** Results of every experiment run so far, by experiment id (questions compute answers from them). */
  const results = useCallback((): Record<string, Record<string, unknown>> => {
    const out: Record<string, Record<string, unknown>> = {};
    for (const s of lesson.steps) {
      if (s.kind !== 'experiment') continue;
      const r = uiOf(s);
      if (r.kind === 'experiment' && r.results) out[s.id] = r.results;
    }
    return out;
  }, [lesson.steps, uiOf]);

  const go = useCallback(
    (delta: 1 | -1) => {
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
      const fresh = nextUi.kind === 'question' ? { ...nextUi, shownAt: services.now() } : nextUi;
      update(nextStep, fresh, target);
      setIndex(target);
    },
    [step, ui, index, lesson, store, uiOf, update, services],
  );

  const moveCursor = useCallback(
    (delta: number) => {
      if (ui.kind === 'question' && step.kind === 'question' && step.options.length > 0) {
        const n = step.options.length;
        update(step, { ...ui, cursor: (ui.cursor + delta + n) % n }, index);
      } else if (ui.kind === 'experiment' && step.kind === 'experiment') {
        const n = optionNames(step).length;
        if (n > 0) update(step, { ...ui, cursor: (ui.cursor + delta + n) % n }, index);
      }
    },
    [ui, step, index, update],
  );

  const changeOption = useCallback(
    (delta: number) => {
      if (ui.kind !== 'experiment' || step.kind !== 'experiment' || ui.running) return;
      const name = optionNames(step)[ui.cursor];
      if (!name) return;
      const allowed = step.choices[name] ?? [];
      const at = allowed.indexOf(ui.values[name] ?? '');
      const value = allowed[(at + delta + allowed.length) % allowed.length]!;
      update(step, { ...ui, values: { ...ui.values, [name]: value } }, index);
    },
    [ui, step, index, update],
  );

  const toggle = useCallback(() => {
    if (ui.kind !== 'question' || step.kind !== 'question' || ui.solved || ui.revealed) return;
    if (step.type === 'multiple') {
      const picked = ui.picked.includes(ui.cursor) ? ui.picked.filter((i) => i !== ui.cursor) : [...ui.picked, ui.cursor].sort((a, b) => a - b);
      update(step, { ...ui, picked }, index);
    } else if (step.options.length > 0) {
      update(step, { ...ui, picked: [ui.cursor] }, index);
    }
  }, [ui, step, index, update]);

  const type = useCallback(
    (text: string) => {
      if (ui.kind === 'question') update(step, { ...ui, input: (ui.input + text).slice(0, 500) }, index);
    },
    [ui, step, index, update],
  );
  const backspace = useCallback(() => {
    if (ui.kind === 'question') update(step, { ...ui, input: ui.input.slice(0, -1) }, index);
  }, [ui, step, index, update]);

  /** Runs an experiment step (its current options) and stores its results. */
  const runExperiment = useCallback(
    async (exp: ExperimentStep, position: number): Promise<Record<string, unknown> | null> => {
      const before = uiOf(exp) as ExperimentUi;
      update(exp, { ...before, running: true, status: '', error: null }, position);
      try {
        const result = await services.runTask(exp.task, before.values, seed, {
          onEpochEnd: (epoch, logs) => {
            const current = uisRef.current[exp.id];
            if (current?.kind !== 'experiment') return;
            const loss = typeof logs.loss === 'number' ? ` loss ${logs.loss.toFixed(4)}` : '';
            uisRef.current = { ...uisRef.current, [exp.id]: { ...current, status: `epoch ${epoch + 1}${loss}` } };
            setUis(uisRef.current);
          },
          onStatus: (message) => {
            const current = uisRef.current[exp.id];
            if (current?.kind !== 'experiment') return;
            uisRef.current = { ...uisRef.current, [exp.id]: { ...current, status: message } };
            setUis(uisRef.current);
          },
        });
        const done = uisRef.current[exp.id] as ExperimentUi;
        update(exp, { ...done, running: false, status: '', results: result.json, figures: result.figures, restored: false, error: null }, position);
        return result.json;
      } catch (err) {
        const done = uisRef.current[exp.id] as ExperimentUi;
        const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
        update(exp, { ...done, running: false, error: message }, position);
        return null;
      }
    },
    [services, seed, uiOf, update],
  );

  const run = useCallback(() => {
    if (step.kind === 'experiment' && ui.kind === 'experiment' && !ui.running) void runExperiment(step, index);
  }, [step, ui, index, runExperiment]);

  const submit = useCallback(() => {
    setNotice(null);
    if (step.kind === 'experiment') return run();
    if (step.kind !== 'question' || ui.kind !== 'question') return go(1);
    if (ui.solved || ui.revealed || ui.phase === 'running') return go(1);
    const answer = answerOf(step, ui);
    if (answer === null) {
      setNotice(step.options.length > 0 ? 'Pick an answer first (↑↓, Space).' : 'Type an answer first.');
      return;
    }
    if (step.type === 'predict') return void predict(step, ui, answer);
    const missing = missingResult(step, results());
    if (missing) {
      setNotice(`Run the experiment "${missing}" first: this answer comes from your own results.`);
      return;
    }
    const attempt = ui.attempts + 1;
    const grade = services.grade(step, answer.value, { results: results(), attempt });
    // The attempt is committed before any feedback is shown: a killed process loses nothing.
    store.recordAttempt({
      lesson: lesson.id,
      question: step.id,
      answer: answer.text,
      correct: grade.correct,
      secondsSpent: (services.now() - ui.shownAt) / 1000,
      seed,
    });
    const revealed = !grade.correct && grade.revealed !== undefined;
    update(
      step,
      {
        ...ui,
        attempts: attempt,
        solved: grade.correct,
        revealed,
        picked: step.type === 'multiple' ? ui.picked : Array.isArray(answer.value) ? answer.value : ui.picked,
        feedback: {
          correct: grade.correct,
          text: grade.feedback,
          hint: grade.correct ? undefined : grade.hint,
          explain: grade.correct ? step.explain : grade.revealed?.explain,
          answer: revealed ? grade.revealed?.answer : undefined,
        },
      },
      index,
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [step, ui, index, lesson.id, services, seed, store, update, results, go, run]);

  /** Predict, then run: the guess is logged, the experiment runs, then the guess is graded against the run. */
  const predict = async (q: QuestionStep, qui: QuestionUi, answer: { value: string | number[]; text: string }) => {
    store.recordAttempt({ lesson: lesson.id, question: q.id, answer: answer.text, correct: null, secondsSpent: (services.now() - qui.shownAt) / 1000, seed });
    const picked = Array.isArray(answer.value) ? answer.value : qui.picked;
    const committed: QuestionUi = { ...qui, picked, attempts: qui.attempts + 1, guess: answer.text, phase: 'running' };
    update(q, committed, index);
    const expIndex = lesson.steps.findIndex((s) => s.id === q.experiment);
    const exp = lesson.steps[expIndex];
    let ran: Record<string, unknown> | null = null;
    if (exp?.kind === 'experiment') ran = await runExperiment(exp, index);
    const all = results();
    if (exp && ran) all[exp.id] = ran;
    const grade = ran ? services.grade(q, answer.value, { results: all, attempt: 1 }) : null;
    update(
      q,
      {
        ...committed,
        phase: 'graded',
        solved: true,
        feedback: grade
          ? { correct: grade.correct, text: grade.feedback, explain: q.explain || grade.revealed?.explain }
          : { correct: false, text: 'The experiment could not run; your prediction is saved.' },
      },
      index,
    );
  };

  return { index, step, ui, notice, finished, go, moveCursor, changeOption, toggle, type, backspace, submit, run };
}

/** The answer as the grader wants it and as the log keeps it; null if nothing was given. */
function answerOf(step: QuestionStep, ui: QuestionUi): { value: string | number[]; text: string } | null {
  if (step.options.length > 0) {
    // Single choice answers the highlighted line; multiple choice the picked set.
    const picked = step.type === 'multiple' ? ui.picked : [ui.cursor];
    if (step.type === 'multiple' && picked.length === 0) return null;
    return { value: picked, text: choiceAnswerText(step, picked) };
  }
  const text = ui.input.trim();
  return text === '' ? null : { value: text, text: ui.input };
}

/** The title of the experiment a question's answer needs but that has not run yet, if any. */
function missingResult(step: QuestionStep, results: Record<string, Record<string, unknown>>): string | null {
  if (step.answer?.kind !== 'result') return null;
  return results[step.answer.step] ? null : step.answer.step;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
