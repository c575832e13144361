// The project screen's live state: the page, the answers (each saved as soon as it is complete), the comparison training in the background, and the export.
import { useEffect, useRef, useState } from 'react';
import type { ProjectServices } from '../../project/services.js';
import type { InterpretationAnswer } from '../../project/prompts.js';
import type { FoldKind } from '../../project/compare.js';
import {
  acceptAnswer,
  backspaceDraft,
  goToPage,
  initialAnswersUi,
  pressEnter,
  savedAnswers,
  typeIntoDraft,
  unsavedAnswers,
  type AnswersUi,
} from '../../project/sections.js';
import { answersKey, type ComparisonProgress, type ExportState } from '../../project/section-view.js';

/** What the project screen can do. */
export interface ProjectSession {
  /** The answers and the page, as last drawn. */
  ui: AnswersUi;
  /** The comparison, as far as it got. */
  progress: ComparisonProgress;
  /** The Export section. */
  exportState: ExportState;
  /** A one-line notice (an answer that could not be saved, "the comparison is still running"). */
  notice: string | null;
  /** Moves `delta` pages. */
  go(delta: number): void;
  /** Opens page `index`. */
  goTo(index: number): void;
  /** Types into the current answer. */
  type(text: string): void;
  /** Deletes the last character of the current answer. */
  backspace(): void;
  /** Enter in an answer: a new line, or (on an empty line) saves it and moves on. */
  enter(): void;
  /** Writes the notebook and the report. */
  exportFiles(): void;
  /** Saves answers typed but not saved yet; call before quitting. */
  saveUnsaved(): void;
  /** The folds the comparison runs (or ran) on. */
  split: FoldKind;
  /** Switches between shuffled folds and blocks of time (data with a time column) and trains again. */
  switchFolds(): void;
  /** The answers and page now, read at the keypress (the frame may be a key behind). */
  now(): AnswersUi;
}

/**
 * Runs the project screen's state against the services. The comparison starts when the screen mounts and is
 * aborted when it unmounts (a quit while training). Answers live in a ref that actions update synchronously and
 * React state only mirrors for drawing: keys typed faster than frames (a paste over SSH) must each act on the
 * state the previous key left.
 */
export function useProject(services: ProjectServices): ProjectSession {
  // A student who comes back reopens the page they left (its prompt's clock starts now).
  const uiRef = useRef<AnswersUi>(null as unknown as AnswersUi);
  if (uiRef.current === null) uiRef.current = goToPage(initialAnswersUi(services.earlierAnswers), services.startPage ?? 0, services.now());
  const [ui, setUi] = useState<AnswersUi>(uiRef.current);
  const [progress, setProgress] = useState<ComparisonProgress>({ phase: 'running', steps: [] });
  const progressRef = useRef(progress);
  const [split, setSplit] = useState<FoldKind>(services.split ?? 'stratified');
  const [exportState, setExportState] = useState<ExportState>({ writing: false, written: [], answersWritten: null, error: null });
  const writingRef = useRef(false);
  const back = Object.keys(uiRef.current.saved).length;
  const [notice, setNotice] = useState<string | null>(() => {
    const answers = `${back} answer${back === 1 ? '' : 's'}`;
    if (back > 0 && uiRef.current.page > 0) return `Welcome back: your ${answers} on this data, and the page you left.`;
    if (back > 0) return `Your ${answers} from an earlier session on this data ${back === 1 ? 'is' : 'are'} back: see Interpretation.`;
    return uiRef.current.page > 0 ? 'Welcome back: the page you left (h: the overview).' : null;
  });

  const setProgressBoth = (next: ComparisonProgress) => {
    progressRef.current = next;
    setProgress(next);
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: one comparison per data set and split; setProgressBoth only writes a ref and a state setter
  useEffect(() => {
    const controller = new AbortController();
    setProgressBoth({ phase: 'running', steps: [] });
    services
      .compare(
        (message) => {
          if (controller.signal.aborted) return;
          const now = progressRef.current;
          setProgressBoth({ phase: 'running', steps: now.phase === 'running' ? [...now.steps, message] : [message] });
        },
        controller.signal,
        split,
      )
      .then((comparison) => {
        if (!controller.signal.aborted) setProgressBoth({ phase: 'done', comparison });
      })
      .catch((err: unknown) => {
        // Aborted because the screen closed: nobody is left to tell.
        if (controller.signal.aborted) return;
        setProgressBoth({ phase: 'failed', error: err instanceof Error ? err.message.split('\n')[0]! : String(err) });
      });
    return () => controller.abort();
  }, [services, split]);

  const update = (next: AnswersUi) => {
    uiRef.current = next;
    setUi(next);
  };

  /** Commits an answer; on failure says why and returns false, so the answer stays unsaved and can be given again. */
  const record = (answer: InterpretationAnswer): boolean => {
    try {
      services.recordAnswer(answer);
      return true;
    } catch (err) {
      setNotice(`Your answer could not be saved (${err instanceof Error ? err.message : String(err)}); Enter tries again.`);
      return false;
    }
  };

  const goTo = (index: number) => {
    setNotice(null);
    update(goToPage(uiRef.current, index, services.now()));
    try {
      services.savePage?.(uiRef.current.page);
    } catch {
      // Where the student was is a convenience: a store that refuses it must not stop them moving.
    }
  };

  const switchFolds = () => {
    if (!services.data.time) {
      setNotice('This data has no date or time column: the folds stay shuffled (stratified).');
      return;
    }
    const next: FoldKind = split === 'time' ? 'stratified' : 'time';
    setSplit(next);
    // Files written from the other folds no longer match the comparison on screen.
    setExportState({ writing: false, written: [], answersWritten: null, error: null });
    setNotice(
      next === 'time'
        ? `Folds are now blocks of time by "${services.data.time.column}": the models train again.`
        : 'Folds are shuffled (stratified) again: the models train again.',
    );
  };
  const go = (delta: number) => goTo(uiRef.current.page + delta);

  const enter = () => {
    setNotice(null);
    const outcome = pressEnter(uiRef.current, services.now());
    switch (outcome.kind) {
      case 'newline':
        return update(outcome.ui);
      case 'next':
        return go(1);
      case 'submit':
        if (!record(outcome.answer)) return;
        update(acceptAnswer(uiRef.current, outcome.answer));
        return go(1);
      default: {
        const never: never = outcome;
        return never;
      }
    }
  };

  const exportFiles = () => {
    const now = progressRef.current;
    if (now.phase !== 'done') {
      setNotice(
        now.phase === 'running' ? 'The models are still training; the files can be written when they are done.' : 'Nothing to export: the comparison failed.',
      );
      return;
    }
    if (writingRef.current) return;
    writingRef.current = true;
    const answers = savedAnswers(uiRef.current);
    const key = answersKey(uiRef.current);
    const written: string[] = [];
    setExportState((s) => ({ ...s, writing: true, error: null }));
    services
      .exportFiles(now.comparison, answers, (line) => written.push(line))
      .then(() => setExportState({ writing: false, written, answersWritten: key, error: null }))
      .catch((err: unknown) =>
        setExportState({ writing: false, written, answersWritten: null, error: err instanceof Error ? err.message.split('\n')[0]! : String(err) }),
      )
      .finally(() => {
        writingRef.current = false;
      });
  };

  const saveUnsaved = () => {
    for (const answer of unsavedAnswers(uiRef.current, services.now())) {
      if (record(answer)) uiRef.current = acceptAnswer(uiRef.current, answer);
    }
  };

  return {
    ui,
    progress,
    exportState,
    notice,
    go,
    goTo,
    type: (text) => update(typeIntoDraft(uiRef.current, text)),
    backspace: () => update(backspaceDraft(uiRef.current)),
    enter,
    exportFiles,
    saveUnsaved,
    split,
    switchFolds,
    now: () => uiRef.current,
  };
}
