// What an experiment returns: the numbers (the `--json` payload) and figures drawn at whatever size the caller has.
import type { Figure } from '../render/figure.js';

// Tasks import Figure with the result type; it is defined in the render layer.
export type { Figure } from '../render/figure.js';

/** The result of one experiment run (`eds run <task>`, or an experiment step in a lesson). */
export interface ExperimentResult {
  /** Exactly what `eds run … --json` prints: snake_case keys, plain JSON values (task, model, seed, metrics…). */
  json: Record<string, unknown>;
  /** Figures for the human view (TUI or `eds run` without `--json`). */
  figures: Figure[];
}

/** Progress callbacks, so a UI can draw while a model trains without the model knowing about it. */
export interface ExperimentCallbacks {
  /** Called after each training epoch with that epoch's logs (loss, acc, val_loss, …) and, when known, the epochs planned. */
  onEpochEnd?: (epoch: number, logs: Record<string, number>, epochs?: number) => void;
  /** Called with a short human status line ("loading digits…"). */
  onStatus?: (message: string) => void;
  /** Called often (≤ 10 times a second) during long work: `fraction` in [0, 1] of `label` ("epoch 2/5"). */
  onProgress?: (fraction: number, label: string) => void;
}

/** Where the student running a task keeps their work (tasks that review it read this store, not the default one). */
export interface TaskContext {
  /** The store's directory (`EDS_HOME`). */
  home: string;
  /** The student's login. */
  user: string;
}
