// What an experiment returns: the numbers (the `--json` payload) and figures drawn at whatever size the caller has.
import type { RenderCaps } from '../render/caps.js';

/** A plot or table an experiment produced, rendered on demand at the caller's size. */
export interface Figure {
  /** Short title shown above the figure, e.g. "Test set: predicted vs measured". */
  title: string;
  /** A map whose detail grows with the height: the lesson gives it the window's rows rather than the usual cap. */
  tall?: boolean;
  /** Draws the figure within `caps.width` × `caps.height`; pure, no I/O. */
  render(caps: RenderCaps): string;
}

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
