// What the review screen shows and where its cursor is: pure functions over the listing, so keys are tested without a terminal.
import type { AppliedVerdict, ReviewAnswer, ReviewGroup, Verdict } from '../../course/review.js';

/** The screen's state; the listing itself does not change while it runs, the verdicts do. */
export interface ReviewState {
  /** The question shown: `lesson\0question` of a group. */
  group: string | null;
  /** The selected answer's key (in the group shown), or null when the group shows none. */
  selected: string | null;
  /** First body line drawn. */
  scroll: number;
  /** Only answers that were pending when the filter was switched on (they stay listed once judged, so u still reaches them). */
  pendingOnly: boolean;
  /** The keys pending when the filter was switched on. */
  shown: ReadonlySet<string>;
  /** The verdict in force per key (null: none), as written to disk. */
  verdicts: ReadonlyMap<string, AppliedVerdict | null>;
  /** Per key, the verdicts in force before each change made on this screen, latest last: what u restores. */
  undo: ReadonlyMap<string, ReadonlyArray<AppliedVerdict | null>>;
}

/** The group's identity. */
export function groupId(g: Pick<ReviewGroup, 'lesson' | 'question'>): string {
  return `${g.lesson}\u0000${g.question}`;
}

/** The state at the start: the first question with answers to show, its first answer selected. */
export function initialState(groups: readonly ReviewGroup[], pendingOnly: boolean): ReviewState {
  const verdicts = new Map(groups.flatMap((g) => g.answers.map((a) => [a.key, a.verdict] as const)));
  const base: ReviewState = { group: null, selected: null, scroll: 0, pendingOnly, shown: pendingKeys(groups, verdicts), verdicts, undo: new Map() };
  const first = visibleGroups(groups, base)[0];
  return first ? selectGroup(groups, base, groupId(first)) : base;
}

function pendingKeys(groups: readonly ReviewGroup[], verdicts: ReadonlyMap<string, AppliedVerdict | null>): Set<string> {
  return new Set(groups.flatMap((g) => g.answers.filter((a) => !verdicts.get(a.key)).map((a) => a.key)));
}

/** The answers of a group the screen lists. */
export function visibleAnswers(group: ReviewGroup, state: ReviewState): ReviewAnswer[] {
  return state.pendingOnly ? group.answers.filter((a) => state.shown.has(a.key)) : group.answers;
}

/** The groups with something to list. */
export function visibleGroups(groups: readonly ReviewGroup[], state: ReviewState): ReviewGroup[] {
  return groups.filter((g) => visibleAnswers(g, state).length > 0);
}

/** The group shown, if any. */
export function currentGroup(groups: readonly ReviewGroup[], state: ReviewState): ReviewGroup | null {
  return visibleGroups(groups, state).find((g) => groupId(g) === state.group) ?? null;
}

function selectGroup(groups: readonly ReviewGroup[], state: ReviewState, id: string): ReviewState {
  const g = groups.find((x) => groupId(x) === id);
  const first = g ? visibleAnswers(g, state)[0] : undefined;
  return { ...state, group: id, selected: first?.key ?? null, scroll: 0 };
}

/** The next (+1) or previous (-1) question, wrapping around. */
export function moveGroup(groups: readonly ReviewGroup[], state: ReviewState, delta: 1 | -1): ReviewState {
  const list = visibleGroups(groups, state);
  if (list.length === 0) return state;
  const i = list.findIndex((g) => groupId(g) === state.group);
  const next = list[(((i < 0 ? 0 : i + delta) % list.length) + list.length) % list.length]!;
  return selectGroup(groups, state, groupId(next));
}

/** The next (+1) or previous (-1) answer in the question shown; stays at the ends (no wrap: the list has a top and a bottom). */
export function moveAnswer(groups: readonly ReviewGroup[], state: ReviewState, delta: 1 | -1): ReviewState {
  const g = currentGroup(groups, state);
  if (!g) return state;
  const list = visibleAnswers(g, state);
  const i = list.findIndex((a) => a.key === state.selected);
  const j = Math.min(list.length - 1, Math.max(0, Math.max(0, i) + delta));
  return { ...state, selected: list[j]?.key ?? null };
}

/** Switches the pending filter, keeping the question and the answer shown where they are still listed. */
export function togglePending(groups: readonly ReviewGroup[], state: ReviewState): ReviewState {
  const next: ReviewState = { ...state, pendingOnly: !state.pendingOnly, shown: pendingKeys(groups, state.verdicts), scroll: 0 };
  const g = currentGroup(groups, next);
  if (!g) {
    const first = visibleGroups(groups, next)[0];
    return first ? selectGroup(groups, next, groupId(first)) : { ...next, group: null, selected: null };
  }
  const list = visibleAnswers(g, next);
  return list.some((a) => a.key === state.selected) ? next : { ...next, selected: list[0]?.key ?? null };
}

/** The selected answer, if any. */
export function selectedAnswer(groups: readonly ReviewGroup[], state: ReviewState): ReviewAnswer | null {
  const g = currentGroup(groups, state);
  return g?.answers.find((a) => a.key === state.selected) ?? null;
}

/** The state after a verdict was written for the selected answer: remembered for u, then the next answer selected. */
export function judged(groups: readonly ReviewGroup[], state: ReviewState, key: string, now: AppliedVerdict | null, advance: boolean): ReviewState {
  const verdicts = new Map(state.verdicts);
  verdicts.set(key, now);
  const undo = new Map(state.undo);
  undo.set(key, [...(state.undo.get(key) ?? []), state.verdicts.get(key) ?? null]);
  const next = { ...state, verdicts, undo };
  return advance ? moveAnswer(groups, next, 1) : next;
}

/** What u writes for an answer: the verdict before this screen's last change to it, else a clear; null when there is nothing to undo. */
export function undoTarget(state: ReviewState, key: string): { restore: AppliedVerdict | null } | null {
  const stack = state.undo.get(key) ?? [];
  if (stack.length) return { restore: stack[stack.length - 1]! };
  return state.verdicts.get(key) ? { restore: null } : null;
}

/** The state after u was written. */
export function undone(state: ReviewState, key: string, now: AppliedVerdict | null): ReviewState {
  const verdicts = new Map(state.verdicts);
  verdicts.set(key, now);
  const undo = new Map(state.undo);
  const stack = [...(state.undo.get(key) ?? [])];
  stack.pop();
  undo.set(key, stack);
  return { ...state, verdicts, undo };
}

/** How many answers of a group (or of all) have no verdict yet. */
export function pendingCount(answers: readonly ReviewAnswer[], state: ReviewState): number {
  return answers.filter((a) => !state.verdicts.get(a.key)).length;
}

/** The words a verdict is shown with. */
export function verdictWord(v: Verdict): string {
  return v === 'accept' ? 'accepted' : 'refused';
}
