// `eds project` in the TUI: the sections a student moves through and the answers being written; pure state changes, so the screen only draws and dispatches.
import { INTERPRETATION_PROMPTS, type InterpretationAnswer, type InterpretationPrompt } from './prompts.js';

/** One page of the project screen; the Interpretation section has a page per prompt. */
export type ProjectPage =
  | { kind: 'overview' }
  | { kind: 'comparison' }
  | { kind: 'figures' }
  | { kind: 'prompt'; prompt: InterpretationPrompt; number: number }
  | { kind: 'export' };

/** The sections, in the order the student meets them (the header shows them as tabs). */
export const SECTION_TITLES = ['Overview', 'Comparison', 'Figures', 'Interpretation', 'Export'] as const;

/** Every page, in order. */
export const PROJECT_PAGES: readonly ProjectPage[] = [
  { kind: 'overview' },
  { kind: 'comparison' },
  { kind: 'figures' },
  ...INTERPRETATION_PROMPTS.map((prompt, i): ProjectPage => ({ kind: 'prompt', prompt, number: i + 1 })),
  { kind: 'export' },
];

/** The section (index into {@link SECTION_TITLES}) a page belongs to. */
export function sectionOf(page: ProjectPage): number {
  switch (page.kind) {
    case 'overview':
      return 0;
    case 'comparison':
      return 1;
    case 'figures':
      return 2;
    case 'prompt':
      return 3;
    case 'export':
      return 4;
    default: {
      const never: never = page;
      return never;
    }
  }
}

/** The longest answer kept, in characters: a paste of a whole essay is cut here rather than filling the database. */
export const MAX_ANSWER_CHARS = 4000;

/** Where the student is and what they have written. */
export interface AnswersUi {
  /** Index into {@link PROJECT_PAGES}. */
  page: number;
  /** Text typed per prompt id, lines separated by "\n" (the last line is the one being typed). */
  drafts: Record<string, string>;
  /** The last answer saved to the store per prompt id. */
  saved: Record<string, InterpretationAnswer>;
  /** When each prompt was last shown (ms), for the seconds spent on it. */
  shownAt: Record<string, number>;
}

/** The state at the start: the Overview, with the answers saved in an earlier session on the same data (none by default). */
export function initialAnswersUi(earlier: readonly InterpretationAnswer[] = []): AnswersUi {
  const known = earlier.filter((a) => INTERPRETATION_PROMPTS.some((p) => p.id === a.id) && a.text.trim() !== '');
  return {
    page: 0,
    drafts: Object.fromEntries(known.map((a) => [a.id, a.text])),
    saved: Object.fromEntries(known.map((a) => [a.id, a])),
    shownAt: {},
  };
}

/** The page the student is on. */
export function currentPage(ui: AnswersUi): ProjectPage {
  return PROJECT_PAGES[ui.page]!;
}

/** Moves to page `index` (clamped); a prompt page starts its clock when shown. */
export function goToPage(ui: AnswersUi, index: number, now: number): AnswersUi {
  const page = Math.min(PROJECT_PAGES.length - 1, Math.max(0, index));
  const target = PROJECT_PAGES[page]!;
  return { ...ui, page, shownAt: target.kind === 'prompt' ? { ...ui.shownAt, [target.prompt.id]: now } : ui.shownAt };
}

/** The answer a draft stands for: each line trimmed, empty lines dropped (as the plain prompt read them). */
export function answerText(draft: string): string {
  return draft
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

function promptOf(ui: AnswersUi): InterpretationPrompt | null {
  const page = currentPage(ui);
  return page.kind === 'prompt' ? page.prompt : null;
}

/** Types text at the end of the current prompt's answer (newlines in a paste become line breaks). */
export function typeIntoDraft(ui: AnswersUi, text: string): AnswersUi {
  const prompt = promptOf(ui);
  if (!prompt) return ui;
  // Control characters other than a line break would garble the screen and the notebook.
  const clean = text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '');
  const draft = ((ui.drafts[prompt.id] ?? '') + clean).slice(0, MAX_ANSWER_CHARS);
  return { ...ui, drafts: { ...ui.drafts, [prompt.id]: draft } };
}

/** Deletes the last character of the current prompt's answer (joining lines at a line start). */
export function backspaceDraft(ui: AnswersUi): AnswersUi {
  const prompt = promptOf(ui);
  if (!prompt) return ui;
  const chars = Array.from(ui.drafts[prompt.id] ?? '');
  chars.pop();
  return { ...ui, drafts: { ...ui.drafts, [prompt.id]: chars.join('') } };
}

/** What Enter does on a prompt page. */
export type EnterOutcome =
  /** A new line was started. */
  | { kind: 'newline'; ui: AnswersUi }
  /** Enter on an empty line: this answer is complete and must be saved. */
  | { kind: 'submit'; answer: InterpretationAnswer }
  /** Enter on an empty line of an answer already saved as it is, or of no answer at all: go on. */
  | { kind: 'next' };

/**
 * Enter in an answer: a line break, or, on an empty line (Enter twice), the end of the answer, the way an empty
 * line ended an answer at the plain prompt. The answer's seconds run from when its prompt was last shown.
 */
export function pressEnter(ui: AnswersUi, now: number): EnterOutcome {
  const prompt = promptOf(ui);
  if (!prompt) return { kind: 'next' };
  const draft = ui.drafts[prompt.id] ?? '';
  const lastLine = draft.slice(draft.lastIndexOf('\n') + 1);
  const text = answerText(draft);
  if (lastLine.trim() !== '') return { kind: 'newline', ui: { ...ui, drafts: { ...ui.drafts, [prompt.id]: `${draft}\n`.slice(0, MAX_ANSWER_CHARS) } } };
  if (text === '' || ui.saved[prompt.id]?.text === text) return { kind: 'next' };
  return { kind: 'submit', answer: { id: prompt.id, text, seconds: secondsOn(ui, prompt.id, now) } };
}

function secondsOn(ui: AnswersUi, id: string, now: number): number {
  const shown = ui.shownAt[id];
  return shown === undefined ? 0 : Math.max(0, (now - shown) / 1000);
}

/** Records that `answer` is in the store: the draft becomes the answer as saved (tidied), ready to be edited again. */
export function acceptAnswer(ui: AnswersUi, answer: InterpretationAnswer): AnswersUi {
  return { ...ui, saved: { ...ui.saved, [answer.id]: answer }, drafts: { ...ui.drafts, [answer.id]: answer.text } };
}

/** Whether the prompt's answer on screen differs from what the store holds (typed but not saved yet). */
export function isUnsaved(ui: AnswersUi, id: string): boolean {
  const text = answerText(ui.drafts[id] ?? '');
  return text !== '' && ui.saved[id]?.text !== text;
}

/** Answers typed but not saved, as they would be saved now: what a quit must not lose. */
export function unsavedAnswers(ui: AnswersUi, now: number): InterpretationAnswer[] {
  return INTERPRETATION_PROMPTS.filter((p) => isUnsaved(ui, p.id)).map((p) => ({
    id: p.id,
    text: answerText(ui.drafts[p.id]!),
    seconds: secondsOn(ui, p.id, now),
  }));
}

/** The saved answers in prompt order, as the exports want them. */
export function savedAnswers(ui: AnswersUi): InterpretationAnswer[] {
  return INTERPRETATION_PROMPTS.flatMap((p) => (ui.saved[p.id] ? [ui.saved[p.id]!] : []));
}
