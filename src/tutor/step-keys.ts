// The keys of a lesson step, in one table: the `?` help, the footer and what a key does are all read from it.
import type { Step } from '../lessons/types.js';
import type { StepUi } from './step-ui.js';
import { assertNever } from './step-ui.js';

/**
 * The key contexts of a lesson step. Each has its own keys: a step changes context as the student works on it
 * (an answer field with the focus and empty, then with text; an experiment's page or its option list).
 */
export type KeyMode =
  | 'page'
  | 'experiment'
  | 'experiment-page'
  | 'experiment-options'
  | 'single'
  | 'multiple'
  | 'predict'
  | 'predict-committed'
  | 'field-empty'
  | 'field-typed'
  | 'field-left'
  | 'review'
  | 'answered';

/** Every mode, in the order the help describes them (tests walk this list). */
export const KEY_MODES: readonly KeyMode[] = [
  'page',
  'experiment',
  'experiment-page',
  'experiment-options',
  'single',
  'multiple',
  'predict',
  'predict-committed',
  'field-empty',
  'field-typed',
  'field-left',
  'review',
  'answered',
];

/** What a key does on a lesson step. */
export type Action =
  | 'next'
  | 'prev'
  | 'scrollUp'
  | 'scrollDown'
  | 'pageUp'
  | 'pageDown'
  | 'cursorUp'
  | 'cursorDown'
  | 'optionLeft'
  | 'optionRight'
  | 'toggle'
  | 'answer'
  | 'run'
  | 'where'
  | 'focus'
  | 'leaveField'
  | 'erase'
  | 'yes'
  | 'no'
  | 'help'
  | 'home'
  | 'quit';

/**
 * A key as the table names it: `Enter`, `Esc`, `Tab`, `Up`, `Down`, `Left`, `Right`, `PgUp`, `PgDn`, `Space`,
 * `Backspace`, `Ctrl-C`, or the printable character itself (`n`, `?`).
 */
export type KeyName = string;

/** One row of the table: keys, what the help and the footer say, what they do. */
export interface StepKey {
  /** The keys (any of them). */
  keys: readonly KeyName[];
  /** The keys as the help shows them. */
  label: string;
  /** What they do. */
  action: Action;
  /** The help's line. */
  description: string;
  /** The footer's short form; absent when the footer leaves it out (room is short at 80 columns). */
  footer?: string;
}

/** How each mode is named in the help's title. */
export const MODE_TITLES: Record<KeyMode, string> = {
  page: 'a page',
  experiment: 'an experiment',
  'experiment-page': 'an experiment (the page has the focus)',
  'experiment-options': 'an experiment (the options have the focus)',
  single: 'a question with one right choice',
  multiple: 'a question with several right choices',
  predict: 'a prediction (choose, then run)',
  'predict-committed': 'a prediction, saved and not yet checked',
  'field-empty': 'an answer field, still empty',
  'field-typed': 'an answer field, with your text',
  'field-left': 'a question, the focus out of its answer field',
  review: 'your answer beside the model answer',
  answered: 'an answered question',
};

/** Extra lines the help shows under a mode's keys. */
export const MODE_NOTES: Partial<Record<KeyMode, string>> = {
  'field-empty': 'Every other key types. p, q and ? typed alone are keys; in a paste they are text.',
  'field-typed': 'Every other key types, including p, q, ? and h. ← and → do nothing here: Backspace corrects.',
  'field-left': 'Other keys do nothing until you go back to the field.',
  predict: 'A prediction is graded once, against the run: it cannot be changed after Enter.',
  'predict-committed': 'If eds was closed during the run, your saved prediction is checked by the next run.',
  review: 'Your answer is already saved; your instructor reviews it and may change the verdict.',
};

const QUIT: StepKey = { keys: ['q', 'Ctrl-C'], label: 'q / Ctrl-C', action: 'quit', description: 'quit (your place is saved)' };
const QUIT_TYPING: StepKey = { keys: ['Ctrl-C'], label: 'Ctrl-C', action: 'quit', description: 'quit (your place and your text are saved)' };
const HELP: StepKey = { keys: ['?'], label: '?', action: 'help', description: 'show or hide this help' };
const HOME: StepKey = { keys: ['h', 'Esc'], label: 'h / Esc', action: 'home', description: 'back to the course map', footer: 'h map' };
const BACK: StepKey = { keys: ['p', 'Left'], label: 'p / ←', action: 'prev', description: 'previous step', footer: 'p/← back' };
const BACK_P: StepKey = { keys: ['p'], label: 'p', action: 'prev', description: 'previous step', footer: 'p back' };
const SCROLL_UP: StepKey = { keys: ['Up', 'k'], label: '↑ / k', action: 'scrollUp', description: 'scroll the page up' };
const SCROLL_DOWN: StepKey = { keys: ['Down', 'j'], label: '↓ / j', action: 'scrollDown', description: 'scroll the page down', footer: '↑↓ scroll' };
const ARROWS_UP: StepKey = { keys: ['Up'], label: '↑', action: 'scrollUp', description: 'scroll the page up' };
const ARROWS_DOWN: StepKey = { keys: ['Down'], label: '↓', action: 'scrollDown', description: 'scroll the page down', footer: '↑↓ scroll' };
const PAGE_UP: StepKey = { keys: ['PgUp'], label: 'PgUp', action: 'pageUp', description: 'scroll the page up a screen' };
const PAGE_DOWN: StepKey = { keys: ['PgDn'], label: 'PgDn', action: 'pageDown', description: 'scroll the page down a screen' };
const NEXT_UNANSWERED: StepKey = { keys: ['n'], label: 'n', action: 'next', description: 'next step, once the question is answered (until then it says so)' };
const CHOICE_UP: StepKey = { keys: ['Up', 'k'], label: '↑ / k', action: 'cursorUp', description: 'highlight the choice above' };
const CHOICE_DOWN: StepKey = { keys: ['Down', 'j'], label: '↓ / j', action: 'cursorDown', description: 'highlight the choice below', footer: '↑↓ choose' };
const RUN_ENTER: StepKey = { keys: ['Enter'], label: 'Enter', action: 'run', description: 'run the experiment (again)', footer: 'Enter run' };
const RUN_R: StepKey = { keys: ['r'], label: 'r', action: 'run', description: 'run the experiment again (draws the plots again after a restart)' };
const NEXT_RUN: StepKey = { keys: ['n'], label: 'n', action: 'next', description: 'next step, once the experiment has run', footer: 'n next' };
const WHERE: StepKey = { keys: ['s'], label: 's', action: 'where', description: 'run here or as a Slurm job on the cluster (where the course offers it)' };

/** Scrolling the page, in the order the help lists it. */
const SCROLLING: readonly StepKey[] = [SCROLL_UP, SCROLL_DOWN, PAGE_UP, PAGE_DOWN];
/** Leaving the step or the tutor, and the help: last in every mode that has them. */
const LEAVING: readonly StepKey[] = [HOME, HELP, QUIT];

/** The table: every key each mode understands. Keys not listed do nothing (in an answer field with the focus, they type). */
export const STEP_KEYS: Record<KeyMode, readonly StepKey[]> = {
  page: [
    { keys: ['n', 'Enter', 'Right'], label: 'n / Enter / →', action: 'next', description: 'next step', footer: 'n/→ next' },
    BACK,
    ...SCROLLING,
    ...LEAVING,
  ],
  experiment: [RUN_ENTER, RUN_R, WHERE, NEXT_RUN, BACK, ...SCROLLING, ...LEAVING],
  'experiment-page': [
    RUN_ENTER,
    { keys: ['Tab'], label: 'Tab', action: 'focus', description: 'move the focus to the options (to change them)', footer: 'Tab options' },
    RUN_R,
    WHERE,
    NEXT_RUN,
    BACK,
    ...SCROLLING,
    ...LEAVING,
  ],
  'experiment-options': [
    {
      keys: ['Left'],
      label: '←',
      action: 'optionLeft',
      description: 'the highlighted option takes its previous value (first shown, if scrolled away)',
      footer: '←→ change',
    },
    { keys: ['Right'], label: '→', action: 'optionRight', description: 'the highlighted option takes its next value (first shown, if scrolled away)' },
    { keys: ['Up', 'k'], label: '↑ / k', action: 'cursorUp', description: 'highlight the option above' },
    { keys: ['Down', 'j'], label: '↓ / j', action: 'cursorDown', description: 'highlight the option below', footer: '↑↓ option' },
    RUN_ENTER,
    { keys: ['Tab'], label: 'Tab', action: 'focus', description: 'move the focus back to the page (↑↓ scroll it)', footer: 'Tab page' },
    RUN_R,
    WHERE,
    NEXT_RUN,
    BACK_P,
    PAGE_UP,
    PAGE_DOWN,
    ...LEAVING,
  ],
  single: [
    CHOICE_UP,
    CHOICE_DOWN,
    { keys: ['Enter'], label: 'Enter', action: 'answer', description: 'answer with the highlighted choice', footer: 'Enter answer' },
    BACK,
    NEXT_UNANSWERED,
    PAGE_UP,
    { ...PAGE_DOWN, footer: 'PgUp/PgDn scroll' },
    ...LEAVING,
  ],
  multiple: [
    CHOICE_UP,
    { ...CHOICE_DOWN, footer: '↑↓ move' },
    { keys: ['Space'], label: 'Space', action: 'toggle', description: 'pick or unpick the highlighted choice', footer: 'Space pick' },
    { keys: ['Enter'], label: 'Enter', action: 'answer', description: 'answer with the picked choices', footer: 'Enter answer' },
    BACK,
    NEXT_UNANSWERED,
    PAGE_UP,
    PAGE_DOWN,
    ...LEAVING,
  ],
  predict: [
    CHOICE_UP,
    CHOICE_DOWN,
    {
      keys: ['Enter'],
      label: 'Enter',
      action: 'answer',
      description: 'commit the highlighted choice as your prediction, then run',
      footer: 'Enter commit and run',
    },
    BACK,
    NEXT_UNANSWERED,
    PAGE_UP,
    PAGE_DOWN,
    ...LEAVING,
  ],
  'predict-committed': [
    { keys: ['Enter'], label: 'Enter', action: 'answer', description: 'run the experiment and check your saved prediction', footer: 'Enter run and check' },
    BACK,
    NEXT_UNANSWERED,
    ...SCROLLING,
    ...LEAVING,
  ],
  'field-empty': [
    { keys: ['Enter'], label: 'Enter', action: 'answer', description: 'check the answer (a prediction: commit it, then run)', footer: 'type, Enter check' },
    {
      keys: ['Esc', 'Tab'],
      label: 'Esc / Tab',
      action: 'leaveField',
      description: 'leave the answer field (keys are commands again)',
      footer: 'Esc leave field',
    },
    BACK,
    ARROWS_UP,
    ARROWS_DOWN,
    PAGE_UP,
    PAGE_DOWN,
    HELP,
    QUIT,
  ],
  'field-typed': [
    { keys: ['Enter'], label: 'Enter', action: 'answer', description: 'check the answer (a prediction: commit it, then run)', footer: 'Enter check' },
    { keys: ['Backspace'], label: 'Backspace', action: 'erase', description: 'erase the last character', footer: 'Backspace erase' },
    { keys: ['Esc', 'Tab'], label: 'Esc / Tab', action: 'leaveField', description: 'leave the answer field (your text stays)', footer: 'Esc leave field' },
    ARROWS_UP,
    ARROWS_DOWN,
    PAGE_UP,
    PAGE_DOWN,
    QUIT_TYPING,
  ],
  'field-left': [
    { keys: ['Enter', 'Tab'], label: 'Enter / Tab', action: 'focus', description: 'back into the answer field', footer: 'Enter type the answer' },
    BACK,
    NEXT_UNANSWERED,
    ...SCROLLING,
    ...LEAVING,
  ],
  review: [
    { keys: ['y'], label: 'y', action: 'yes', description: 'yes: your answer covers the model answer', footer: 'y yes' },
    { keys: ['n'], label: 'n', action: 'no', description: 'no: it misses part of it', footer: 'n no' },
    BACK,
    ...SCROLLING,
    ...LEAVING,
  ],
  answered: [
    { keys: ['n', 'Enter', 'Right'], label: 'n / Enter / →', action: 'next', description: 'next step', footer: 'n/→ next' },
    BACK,
    ...SCROLLING,
    ...LEAVING,
  ],
};

/** Where the keys of a step go: its page, or its list or answer field (`main`). */
export type StepFocus = 'page' | 'main';

/** The focus a step starts with: an answer field has it at once; an experiment starts on its page. */
export function defaultFocus(step: Step): StepFocus {
  return step.kind === 'experiment' ? 'page' : 'main';
}

/** The key mode of a step in its current state. */
export function keyModeOf(step: Step, ui: StepUi, focus: StepFocus): KeyMode {
  switch (step.kind) {
    case 'page':
      return 'page';
    case 'experiment':
      if (Object.keys(step.choices).length === 0) return 'experiment';
      return focus === 'main' ? 'experiment-options' : 'experiment-page';
    case 'question': {
      if (ui.kind !== 'question' || ui.solved || ui.revealed || ui.phase === 'graded') return 'answered';
      if (ui.phase === 'review') return 'review';
      if (step.type === 'predict' && (ui.phase === 'committed' || ui.phase === 'running')) return 'predict-committed';
      if (step.options.length > 0) return step.type === 'multiple' ? 'multiple' : step.type === 'predict' ? 'predict' : 'single';
      if (focus === 'page') return 'field-left';
      return ui.input === '' ? 'field-empty' : 'field-typed';
    }
    default:
      return assertNever(step);
  }
}

/** Whether the mode types printable keys into an answer field. */
export function typesText(mode: KeyMode): boolean {
  return mode === 'field-empty' || mode === 'field-typed';
}

/** The action of a key in a mode, or null when the mode does not list it. */
export function actionFor(mode: KeyMode, name: KeyName): Action | null {
  return STEP_KEYS[mode].find((k) => k.keys.includes(name))?.action ?? null;
}

/** The footer's key hints for a mode, from the table. */
export function footerFor(mode: KeyMode): string {
  return STEP_KEYS[mode].flatMap((k) => (k.footer ? [k.footer] : [])).join('  ');
}

/** The right end of the status line: help and quit as this mode has them. */
export function footerRightFor(mode: KeyMode): string {
  const keys = STEP_KEYS[mode].flatMap((k) => k.keys);
  return [keys.includes('?') ? '? keys' : null, keys.includes('q') ? 'q quit' : 'Ctrl-C quit'].filter((s) => s !== null).join('  ');
}

// ------------------------------------------------------------------------------------ the course map, and in brief

/** What a key does on the course map. */
export type MapAction = 'cursorUp' | 'cursorDown' | 'open' | 'help' | 'quit';

/** One row of the course map's keys: its `?` help and what its keys do both read it. */
export interface MapKey {
  /** The keys (any of them), named as in {@link StepKey}. */
  keys: readonly KeyName[];
  /** The keys as the help shows them. */
  label: string;
  /** What they do. */
  action: MapAction;
  /** The help's line. */
  description: string;
}

/** The course map's keys. Keys not listed do nothing there. */
export const MAP_KEYS: readonly MapKey[] = [
  { keys: ['Up', 'k', 'Down', 'j'], label: '↑ ↓ / k j', action: 'cursorUp', description: 'choose a lesson' },
  { keys: ['Enter', 'Right', 'n'], label: 'Enter / → / n', action: 'open', description: 'open it, at the step where you left it' },
  { keys: ['?'], label: '?', action: 'help', description: 'show or hide this help' },
  { keys: ['q', 'Ctrl-C'], label: 'q / Ctrl-C', action: 'quit', description: 'quit (your answers are saved)' },
];

/** The action of a key on the course map, or null when it does nothing there. */
export function mapActionFor(name: KeyName): MapAction | null {
  const row = MAP_KEYS.find((k) => k.keys.includes(name));
  if (!row) return null;
  // One row lists both directions of the cursor.
  return row.action === 'cursorUp' && (name === 'Down' || name === 'j') ? 'cursorDown' : row.action;
}

/** One line of the lesson keys in brief, and the keys and modes it speaks for (a test checks them against STEP_KEYS). */
export interface KeySummary {
  /** The keys as the help and the README show them. */
  label: string;
  /** What they do, in brief (fits beside the label at 80 columns). */
  description: string;
  /** Which keys it speaks for in which modes: each does one of `actions` there. */
  covers: ReadonlyArray<readonly [keys: readonly KeyName[], modes: readonly KeyMode[]]>;
  /** What those keys do in those modes. */
  actions: readonly Action[];
}

/** Every mode but those named. */
function allBut(...except: KeyMode[]): KeyMode[] {
  return KEY_MODES.filter((m) => !except.includes(m));
}
const FIELDS: KeyMode[] = ['field-empty', 'field-typed'];

/**
 * The keys of a lesson in brief: the course map's `?` help and the README's table (a test checks the README
 * against it). The `?` help on a step lists that step's keys in full.
 */
export const KEY_SUMMARY: readonly KeySummary[] = [
  {
    label: 'n / →',
    description: 'next step (n once the question is answered or the run done)',
    covers: [
      [['n'], allBut(...FIELDS, 'review')],
      [['Right'], ['page', 'answered']],
    ],
    actions: ['next'],
  },
  {
    label: 'p / ←',
    description: 'previous step (from an empty answer field too)',
    covers: [
      [['p'], allBut('field-typed')],
      [['Left'], allBut('field-typed', 'experiment-options')],
    ],
    actions: ['prev'],
  },
  {
    label: '↑ ↓ / k j',
    description: 'scroll the page, or move in a list of choices or options',
    covers: [
      [['Up', 'Down'], KEY_MODES],
      [['k', 'j'], allBut(...FIELDS)],
    ],
    actions: ['scrollUp', 'scrollDown', 'cursorUp', 'cursorDown'],
  },
  { label: 'PgUp / PgDn', description: 'scroll the page a screen at a time', covers: [[['PgUp', 'PgDn'], KEY_MODES]], actions: ['pageUp', 'pageDown'] },
  {
    label: 'Enter',
    description: 'answer, or run the experiment (on a page: next step)',
    covers: [[['Enter'], allBut('review')]],
    actions: ['answer', 'run', 'next', 'focus'],
  },
  { label: 'Space', description: 'pick or unpick a choice (several right answers)', covers: [[['Space'], ['multiple']]], actions: ['toggle'] },
  {
    label: 'Tab',
    description: "to an experiment's options (then ← → change them) and back",
    covers: [[['Tab'], ['experiment-page', 'experiment-options', ...FIELDS, 'field-left']]],
    actions: ['focus', 'leaveField'],
  },
  {
    label: '← →',
    description: 'with the options focused: change the highlighted one',
    covers: [[['Left', 'Right'], ['experiment-options']]],
    actions: ['optionLeft', 'optionRight'],
  },
  {
    label: 'r',
    description: 'run the experiment again (draws its plots again)',
    covers: [[['r'], ['experiment', 'experiment-page', 'experiment-options']]],
    actions: ['run'],
  },
  {
    label: 's',
    description: 'run the experiment here or as a Slurm job, where offered',
    covers: [[['s'], ['experiment', 'experiment-page', 'experiment-options']]],
    actions: ['where'],
  },
  {
    label: 'Esc / h',
    description: 'Esc leaves an answer field; else back to the course map',
    covers: [
      [['Esc'], KEY_MODES],
      [['h'], allBut(...FIELDS)],
    ],
    actions: ['leaveField', 'home'],
  },
  { label: 'y / n', description: 'beside a model answer: does yours cover it? (n: no)', covers: [[['y', 'n'], ['review']]], actions: ['yes', 'no'] },
  { label: '?', description: 'the keys of the step you are on', covers: [[['?'], allBut('field-typed')]], actions: ['help'] },
  {
    label: 'q / Ctrl-C',
    description: 'quit, your place is saved (q: not once you have typed)',
    covers: [
      [['q'], allBut('field-typed')],
      [['Ctrl-C'], KEY_MODES],
    ],
    actions: ['quit'],
  },
];

/** Keys the summary leaves to the step's own `?` help (editing a typed answer needs no documentation). */
export const SUMMARY_LEAVES_OUT: readonly KeyName[] = ['Backspace'];
