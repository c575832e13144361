// What the review screen needs from outside: the listing, and a way to store a verdict.
import type { AppliedVerdict, ReviewGroup, VerdictAction } from '../../course/review.js';

/** The review screen's services. */
export interface ReviewServices {
  /** The free-text answers by question (verdicts as read at the start). */
  groups: ReviewGroup[];
  /** The instructor's login, shown in the status. */
  login: string;
  /** The course directory, shown in the status. */
  dir: string;
  /** Start with only the pending answers listed. */
  pendingOnly: boolean;
  /** Files and lines of the course directory that were ignored (the count is shown; the list follows on exit). */
  problems: number;
  /**
   * Stores a verdict (on disk when it returns) and gives the verdict now in force (null after a clear).
   * Throws (a `UserError`) when it cannot be stored; the screen then shows why and changes nothing.
   */
  record(key: string, verdict: VerdictAction, note: string | null): AppliedVerdict | null;
}
