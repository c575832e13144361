// What the `eds project` screen needs from the layers below, passed in so tests can give real ones on a temporary home.
// The project defines and builds it (project/session.ts); the TUI, above, only consumes it.
import type { Comparison, FoldKind } from './compare.js';
import type { ProjectData } from './data.js';
import type { ExportTargets } from './export.js';
import type { Overview } from './overview.js';
import type { InterpretationAnswer } from './prompts.js';

/** Everything the project screen calls. */
export interface ProjectServices {
  /** The data as read (loaded before the screen opens, so a bad file is one line on stderr, not a screen). */
  data: ProjectData;
  /** Step 1, computed from `data`. */
  overview: Overview;
  /** Student login, for the status line. */
  user: string;
  /** Where the exports go. */
  targets: ExportTargets;
  /** The folder relative export paths are in, as shown to the student. */
  folder: string;
  /** Runs step 2 with folds of kind `split` (default: `split` below), calling `onStatus` before each stage; rejects once `signal` is aborted. */
  compare(onStatus: (message: string) => void, signal: AbortSignal, split?: FoldKind): Promise<Comparison>;
  /** The folds the screen starts with; `time` is offered (key t) only when the data has a time column. */
  split?: FoldKind;
  /** Answers this student saved on the same data in an earlier session, given back to edit (none on a first visit). */
  earlierAnswers?: InterpretationAnswer[];
  /** The page the student was on when they last left this project (0: the overview). */
  startPage?: number;
  /** Remembers the page the student is on, so the next session reopens there (throws if it could not be saved). */
  savePage?(page: number): void;
  /** Commits one answer to the student's store (throws if it could not be saved). */
  recordAnswer(answer: InterpretationAnswer): void;
  /** Writes the notebook and the report with these answers, calling `onWritten` with each file's line. */
  exportFiles(comparison: Comparison, answers: InterpretationAnswer[], onWritten: (line: string) => void): Promise<void>;
  /** Clock, in ms (tests pass a fake one). */
  now(): number;
}
