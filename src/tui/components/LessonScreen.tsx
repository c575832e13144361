// The lesson screen: a header, the step's scrollable body, a notice, the input line and the status line.
import type React from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, useInput, type Key } from 'ink';
import type { Lesson, Step } from '../../lessons/types.js';
import type { RenderCaps } from '../../render/caps.js';
import type { TutorServices } from '../../tutor/services.js';
import type { Theme } from '../theme.js';
import { keyName, splitKeys } from '../keys.js';
import { useLesson, type LessonJob } from '../hooks/use-lesson.js';
import { viewStep, wrapSegments } from '../../tutor/step-view.js';
import { isFinished, isTyping, MAX_ANSWER_CHARS } from '../../tutor/step-ui.js';
import {
  actionFor,
  defaultFocus,
  footerFor,
  footerRightFor,
  keyModeOf,
  MODE_NOTES,
  MODE_TITLES,
  STEP_KEYS,
  typesText,
  type StepFocus,
} from '../../tutor/step-keys.js';
import { safeLine } from '../../util/safe-text.js';
import { HelpOverlay } from './HelpOverlay.js';
import { Lines } from './Lines.js';
import { StatusLine } from './StatusLine.js';
import { displayWidth, toAscii, wrapTyped } from '../../util/text.js';

/** Props of {@link LessonScreen}. */
export interface LessonScreenProps {
  /** The lesson. */
  lesson: Lesson;
  /** Step to open at. */
  startIndex: number;
  /** Services. */
  services: TutorServices;
  /** Terminal size and capabilities. */
  caps: RenderCaps;
  /** Theme. */
  theme: Theme;
  /** Whether the help is open (this screen draws it: the keys of the step's current mode). */
  helpOpen: boolean;
  /** The terminal is too small to draw: the lesson stays as it is, hidden, and takes no keys. */
  suspended?: boolean;
  /** Back to the course map. */
  onHome(): void;
  /** Quit eds. */
  onQuit(): void;
  /** Toggle the help overlay. */
  onHelp(): void;
}

export function LessonScreen(props: LessonScreenProps): React.JSX.Element {
  const { lesson, services, caps, theme } = props;
  const ascii = !caps.unicode;
  const bodyWidth = Math.max(10, caps.width - 2);
  const session = useLesson(lesson, services, props.startIndex, { ...caps, width: bodyWidth });
  const { step, ui, index } = session;
  // Leaving a step (or quitting) while its Slurm job runs asks first; read at the keypress through the ref.
  const confirmRef = useRef<LeavePrompt | null>(null);
  const [confirm, setConfirmState] = useState<LeavePrompt | null>(null);
  const setConfirm = (next: LeavePrompt | null) => {
    confirmRef.current = next;
    setConfirmState(next);
  };

  // Where the step's keys go (its page, or its list / answer field), per step; read at the keypress through the ref.
  const focusRef = useRef<{ stepId: string; focus: StepFocus } | null>(null);
  const [, setFocusState] = useState(focusRef.current);
  const focusOf = (s: Step): StepFocus => (focusRef.current?.stepId === s.id ? focusRef.current.focus : defaultFocus(s));
  const setFocus = (s: Step, focus: StepFocus) => {
    focusRef.current = { stepId: s.id, focus };
    setFocusState(focusRef.current);
  };
  const focus = focusOf(step);
  const mode = keyModeOf(step, ui, focus);

  // Where the next run goes (when the course offers Slurm), as plain values: the view is drawn again when they change.
  const placeSlurm = session.place?.slurm ?? false;
  const placeLabel = session.place?.label ?? null;
  const view = useMemo(
    () => viewStep(step, ui, { ...caps, width: bodyWidth }, theme.symbols, focus, placeLabel === null ? null : { slurm: placeSlurm, label: placeLabel }),
    [step, ui, caps, bodyWidth, theme.symbols, focus, placeSlurm, placeLabel],
  );
  const field = isTyping(step, ui);
  // A course-directory failure during the session (the answers are kept here) is said on the step where it happened.
  const [courseWarning, setCourseWarning] = useState<{ text: string; index: number } | null>(null);
  const message = (confirm ? promptText(confirm) : null) ?? session.notice ?? (courseWarning?.index === index ? `! ${courseWarning.text}` : null);
  // The answer as typed wraps over up to FIELD_LINES lines (its end, with the cursor, always shown).
  const answerLines =
    field && ui.kind === 'question' ? fieldLines(ascii ? toAscii(ui.input) : ui.input, caps.width, focus === 'main', theme.symbols.pointer) : [];
  // A notice (which run to make, why an answer is not counted) can be longer than the width: it wraps, taking rows
  // from the body (which keeps MIN_BODY_ROWS) rather than being cut; it goes with the next key.
  const messageLines =
    message === null
      ? []
      : noticeLines(ascii ? toAscii(message) : message, caps.width, Math.max(NOTICE_LINES, caps.height - 3 - answerLines.length - MIN_BODY_ROWS));
  // Header 1 + notice 1 or more + the answer field's lines (with one) + hints 1 + status 1.
  const bodyHeight = Math.max(1, caps.height - 3 - Math.max(1, messageLines.length) - answerLines.length);
  const maxScroll = Math.max(0, view.lines.length - bodyHeight);
  // The scroll position in a ref too: several keys of one frame each scroll from where the previous one left it.
  const scrollRef = useRef(0);
  const [scroll, setScrollState] = useState(0);
  const setScroll = (next: (s: number) => number) => {
    scrollRef.current = Math.max(0, next(scrollRef.current));
    setScrollState(scrollRef.current);
  };
  // What the frame on screen shows, for keys that must act only on what the student sees.
  const shown = useRef({ stepId: step.id, cursorLine: view.cursorLine, bodyHeight, maxScroll });
  shown.current = { stepId: step.id, cursorLine: view.cursorLine, bodyHeight, maxScroll };

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new step (index) starts at the top; setScroll is stable
  useEffect(() => setScroll(() => 0), [index]);
  useEffect(() => {
    const fresh = services.takeWarnings?.() ?? [];
    if (fresh.length > 0) setCourseWarning({ text: fresh[fresh.length - 1]!, index });
  });
  // The focus range last brought into view on this step, to tell new feedback from a moved cursor.
  const lastFocus = useRef<{ stepId: string; focus: number; end: number } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the focus moves or the window resizes; step.id and the verdict are read to tell new feedback from a moved cursor, not to rerun
  useEffect(() => {
    // Keep the focus in view (the cursor, or the verdict), and the lines after it up to focusEnd when they fit.
    if (view.focus < 0) return;
    const last = view.focusEnd ?? view.focus;
    const before = lastFocus.current;
    lastFocus.current = { stepId: step.id, focus: view.focus, end: last };
    // New feedback under the same highlighted choice that does not fit with it (long choices, a short window):
    // the verdict is shown, not the choice the student just answered with (the first list key shows that again).
    const freshFeedback = before?.stepId === step.id && before.focus === view.focus && before.end !== last;
    if (freshFeedback && view.verdict !== undefined && last - view.focus >= bodyHeight) {
      setScroll(() => view.verdict!);
      return;
    }
    const end = Math.min(last, view.focus + bodyHeight - 1);
    setScroll((s) => (view.focus < s ? view.focus : end >= s + bodyHeight ? end - bodyHeight + 1 : s));
  }, [view.focus, view.focusEnd, bodyHeight]);
  const top = Math.min(scroll, maxScroll);

  // Keys that arrive right after a submitted answer (the rest of a paste, a sentence typed on over SSH) are dropped
  // until the input pauses: they must not answer the next question, move on, or leave the lesson.
  const quietUntil = useRef(0);
  useInput(
    (rawInput, rawKey) => {
      const keys = splitKeys(rawInput, rawKey);
      const t = Date.now();
      if (t < quietUntil.current) {
        if (keys.some(([i, k]) => k.ctrl && i === 'c')) return props.onQuit();
        quietUntil.current = t + QUIET_AFTER_SUBMIT_MS;
        return;
      }
      // Several keys in one event are a paste (or keys typed faster than they are read).
      const pasted = keys.length > 1;
      const startStep = session.now().step.id;
      for (const [input, key] of keys) {
        const outcome = handleKey(input, key, pasted);
        // A step met again starts with its own focus (an answer field has it), whatever it had when left.
        if (session.now().step.id !== startStep) focusRef.current = null;
        if (outcome === 'submitted') {
          quietUntil.current = Date.now() + QUIET_AFTER_SUBMIT_MS;
          return;
        }
        // At most one step per event, and nothing after leaving the lesson.
        if (outcome === 'left' || session.now().step.id !== startStep) return;
      }
    },
    { isActive: !props.suspended },
  );

  /** Scrolls so that the highlighted list row is on screen; true if it was off screen (the key then does only that). */
  function revealCursor(curStepId: string): boolean {
    const { stepId, cursorLine, bodyHeight: height } = shown.current;
    // A step changed within this frame: its first frame will bring the cursor into view itself.
    if (stepId !== curStepId || cursorLine < 0) return false;
    const at = scrollRef.current;
    if (cursorLine >= at && cursorLine < at + height) return false;
    setScroll(() => Math.max(0, cursorLine < at ? cursorLine : cursorLine - height + 1));
    return true;
  }

  /** Leaves as `action` says: quit, the course map, or the next or previous step. */
  function leave(action: LeavePrompt['action']): void {
    if (action === 'quit') props.onQuit();
    else if (action === 'home') props.onHome();
    else session.go(action === 'next' ? 1 : -1);
  }

  /** Asks before leaving while a Slurm job runs for this step (for any step, when quitting); true when it asked. */
  function askBeforeLeaving(action: LeavePrompt['action']): boolean {
    const { step: cur, ui: curUi } = session.now();
    // A move the lesson refuses anyway (the step not done yet, no step before) is not worth a question.
    if (action === 'next' && !isFinished(cur, curUi)) return false;
    if (action === 'prev' && lesson.steps.indexOf(cur) === 0) return false;
    const jobs = action === 'quit' || action === 'home' ? session.slurmJobs() : session.slurmJobs(cur.id);
    if (jobs.length === 0) return false;
    setConfirm({ action, jobs, cancelling: false });
    return true;
  }

  /** The answer to "cancel the job?": y cancels (and waits until Slurm says it ended), n leaves it running, Esc stays. */
  function answerPrompt(prompt: LeavePrompt, input: string, key: Key): 'left' | null {
    if (prompt.cancelling) {
      // Ctrl-C while cancelling: quit now; scancel has been sent.
      if (key.ctrl && input === 'c') props.onQuit();
      return null;
    }
    if (input === 'y' || (key.ctrl && input === 'c')) {
      const action = key.ctrl ? 'quit' : prompt.action;
      setConfirm({ ...prompt, action, cancelling: true });
      void session.cancelJobs(prompt.jobs).then(() => {
        setConfirm(null);
        leave(action);
      });
      return 'left';
    }
    if (input === 'n') {
      setConfirm(null);
      leave(prompt.action);
      return 'left';
    }
    if (key.escape) setConfirm(null);
    return null;
  }

  function handleKey(input: string, key: Key, pasted: boolean): 'submitted' | 'left' | null {
    if (props.helpOpen) {
      if (input === '?' || key.escape || input === 'q') props.onHelp();
      return null;
    }
    if (confirmRef.current) return answerPrompt(confirmRef.current, input, key);
    if (session.finished) {
      if (key.return || input === 'h' || key.escape) props.onHome();
      else if (input === 'q' || (key.ctrl && input === 'c')) props.onQuit();
      return 'left';
    }
    // Read at the keypress: a key typed before the next frame must see the state the previous key left.
    const { step: cur, ui: curUi } = session.now();
    const curFocus = focusOf(cur);
    const curMode = keyModeOf(cur, curUi, curFocus);
    const name = keyName(input, key);
    if (name === null) return null;
    // In an empty field, p, q and ? are keys when typed alone; the first letter of a pasted answer is text.
    const action = curMode === 'field-empty' && pasted && name.length === 1 ? null : actionFor(curMode, name);
    if (action === null) {
      if (typesText(curMode) && (name.length === 1 || name === 'Space')) session.type(name === 'Space' ? ' ' : input);
      return null;
    }
    const { maxScroll: limit, bodyHeight: height } = shown.current;
    const scrollBy = (n: number) => setScroll((s) => Math.min(limit, Math.max(0, Math.min(s, limit) + n)));
    switch (action) {
      case 'quit':
        if (askBeforeLeaving('quit')) return 'left';
        props.onQuit();
        return 'left';
      case 'home':
        if (askBeforeLeaving('home')) return 'left';
        props.onHome();
        return 'left';
      case 'help':
        props.onHelp();
        return null;
      case 'next':
        if (!askBeforeLeaving('next')) session.go(1);
        return null;
      case 'prev':
        if (!askBeforeLeaving('prev')) session.go(-1);
        return null;
      case 'scrollUp':
        scrollBy(-1);
        return null;
      case 'scrollDown':
        scrollBy(1);
        return null;
      case 'pageUp':
        scrollBy(-(height - 1));
        return null;
      case 'pageDown':
        scrollBy(height - 1);
        return null;
      case 'cursorUp':
      case 'cursorDown':
        if (!revealCursor(cur.id)) session.moveCursor(action === 'cursorUp' ? -1 : 1);
        return null;
      case 'optionLeft':
      case 'optionRight':
        // An option never changes while it is off screen: the first key shows it.
        if (!revealCursor(cur.id)) session.changeOption(action === 'optionLeft' ? -1 : 1);
        return null;
      case 'toggle':
        if (!revealCursor(cur.id)) session.toggle();
        return null;
      case 'answer':
        // A choice is answered only as seen: an off-screen highlighted choice is shown first.
        if (cur.kind === 'question' && cur.options.length > 0 && curMode !== 'predict-committed' && revealCursor(cur.id)) return null;
        session.submit();
        return 'submitted';
      case 'run':
        session.run();
        return null;
      case 'where':
        session.switchWhere();
        return null;
      case 'focus':
        setFocus(cur, curFocus === 'main' ? 'page' : 'main');
        return null;
      case 'leaveField':
        setFocus(cur, 'page');
        return null;
      case 'erase':
        session.backspace();
        return null;
      case 'yes':
      case 'no':
        session.selfAssess(action === 'yes');
        return 'submitted';
      default: {
        const unreachable: never = action;
        return unreachable;
      }
    }
  }

  const fix = (s: string) => (ascii ? toAscii(s) : s);
  const header = `${lesson.title} ${theme.symbols.dot} step ${index + 1}/${lesson.steps.length}`;
  if (session.finished) {
    return (
      <Box flexDirection="column" width={caps.width}>
        <Text bold inverse={theme.inverse} wrap="truncate">
          {fix(` ${header}`.padEnd(caps.width))}
        </Text>
        <Text> </Text>
        <Text bold color={theme.success}>
          {fix(`${theme.symbols.ok} You have finished "${lesson.title}".`)}
        </Text>
        <Text wrap="truncate">Your answers are saved; `eds progress` shows them.</Text>
        <Text wrap="truncate" color={theme.muted}>
          {/* A string: JSX text keeps the two spaces, but Biome's formatter would collapse them. */}
          {'Enter: back to the course map  q: quit'}
        </Text>
      </Box>
    );
  }
  if (props.helpOpen) {
    return (
      <HelpOverlay
        theme={theme}
        ascii={ascii}
        width={caps.width}
        height={caps.height}
        title={`Keys on ${MODE_TITLES[mode]}`}
        bindings={STEP_KEYS[mode]}
        note={MODE_NOTES[mode]}
      />
    );
  }
  const visible = view.lines.slice(top, top + bodyHeight);
  const more = maxScroll > 0 ? ` ${Math.round((100 * top) / maxScroll)}%` : '';
  return (
    <Box flexDirection="column" width={caps.width}>
      <Text bold inverse={theme.inverse} wrap="truncate">
        {fix(` ${header}${more}`.padEnd(caps.width))}
      </Text>
      <Box flexDirection="column" height={bodyHeight} paddingLeft={1}>
        <Lines lines={visible} theme={theme} ascii={ascii} />
      </Box>
      {messageLines.length > 0 ? (
        messageLines.map((line, i) => (
          <Text key={i} wrap="truncate" color={theme.warning}>
            {fix(line)}
          </Text>
        ))
      ) : (
        <Text wrap="truncate" color={theme.warning}>
          {/* The keys that scroll here: on a list, ↓ moves the highlight instead. */}
          {fix(
            top < maxScroll
              ? `${theme.symbols.rule.repeat(3)} more below (${actionFor(mode, 'Down') === 'scrollDown' ? '↓/PgDn' : 'PgDn'}) ${theme.symbols.rule.repeat(3)}`
              : ' ',
          )}
        </Text>
      )}
      {answerLines.map((line, i) =>
        focus === 'main' ? (
          <Text key={i} wrap="truncate">
            <Text color={theme.accent}>{fix(line.lead)}</Text>
            {line.text}
            {line.cursor ? <Text inverse> </Text> : null}
          </Text>
        ) : (
          // The field without the focus: its text stays, dimmed, and says how to get back into it.
          <Text key={i} wrap="truncate" color={theme.muted}>
            {fix(line.lead)}
            {line.text}
          </Text>
        ),
      )}
      <StatusLine
        fields={[services.user, lesson.id, `step ${index + 1}/${lesson.steps.length}`, services.backendLabel()]}
        hints={footerFor(mode)}
        right={footerRightFor(mode)}
        width={caps.width}
        theme={theme}
        ascii={ascii}
      />
    </Box>
  );
}

/** A question put before leaving while Slurm jobs run: what the student was doing, and which jobs. */
interface LeavePrompt {
  /** What the key pressed was to do. */
  action: 'quit' | 'home' | 'next' | 'prev';
  /** The jobs it would leave behind. */
  jobs: LessonJob[];
  /** y was pressed: scancel is sent, waiting for Slurm to say the jobs ended. */
  cancelling: boolean;
}

/** The prompt's line: which jobs, and what y, n and Esc do. */
export function promptText(prompt: Pick<LeavePrompt, 'action' | 'jobs' | 'cancelling'>): string {
  const ids = prompt.jobs.map((j) => j.job?.id).filter((id): id is string => id !== undefined);
  const which = ids.length === 0 ? 'A Slurm job' : ids.length === 1 ? `Slurm job ${ids[0]}` : `Slurm jobs ${ids.join(', ')}`;
  if (prompt.cancelling) return `Cancelling ${which.replace(/^A /, 'the ')}… (waiting for Slurm to end it)`;
  const verb = ids.length > 1 ? 'are' : 'is';
  if (prompt.action === 'quit')
    return `${which} ${verb} still running. y: cancel and quit · n: quit, leave it running (its result is not recorded) · Esc: stay`;
  return `${which} ${verb} still running. y: cancel it · n: leave it running (its result is recorded when it ends) · Esc: stay`;
}

/** Most lines the answer field takes; a longer answer shows its end, where the student types. */
const FIELD_LINES = 3;

/** One line of the answer field: its lead (the pointer, or an indent), the text, and whether the cursor ends it. */
export interface FieldLine {
  /** The pointer on the first line, an indent on the others (or the … of an answer longer than the field). */
  lead: string;
  /** The typed text on this line (inert, already 7-bit when the terminal needs it). */
  text: string;
  /** Whether the cursor follows the text. */
  cursor: boolean;
}

/**
 * The typed answer as the field shows it: wrapped into lines of the width (at spaces, every character kept) in at
 * most FIELD_LINES lines, the last ones when it is longer (the first shown then starts with …). With the focus the
 * cursor follows the text; without it, the field says how to get back into it.
 */
export function fieldLines(input: string, width: number, focused: boolean, pointer: string): FieldLine[] {
  // Every line starts with two columns: the pointer, or an indent under it.
  const room = Math.max(1, width - 2);
  // At the limit the field says so: a long paste loses its end, and the student must know it did.
  const full = input.length >= MAX_ANSWER_CHARS ? `  (${MAX_ANSWER_CHARS} characters at most: the rest was not kept)` : '';
  const text = safeLine(input, 100_000) + full + (focused ? '' : `${input ? '  ' : ''}(Enter: back to your answer)`);
  // Broken at spaces where it can, every character kept (spaces too), so the lines read as typed.
  const rows = wrapTyped(text, room);
  const used = displayWidth(rows[rows.length - 1]!);
  // The cursor takes the column after the text: on a line of its own when the last one is full.
  if (focused && used >= room) rows.push('');
  const cut = rows.length > FIELD_LINES;
  const shown = cut ? rows.slice(-FIELD_LINES) : rows;
  return shown.map((t, i) => ({ lead: i > 0 ? '  ' : cut ? '… ' : focused ? `${pointer} ` : '  ', text: t, cursor: focused && i === shown.length - 1 }));
}

/** Lines a notice may always take under the body, however short the window. */
const NOTICE_LINES = 3;
/** Rows the body keeps while a long notice shows. */
const MIN_BODY_ROWS = 3;

/** A notice wrapped to the width, in at most `max` lines (the last cut with … only when it is longer still). */
export function noticeLines(text: string, width: number, max = NOTICE_LINES): string[] {
  const lines = wrapSegments([{ text: safeLine(text, 2000) }], width).map((l) => l.map((seg) => seg.text).join(''));
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  const last = kept[max - 1]!;
  kept[max - 1] = `${last.slice(0, Math.max(0, width - 1))}…`;
  return kept;
}

/**
 * How long the input must pause after a submitted answer before keys count again (ms). A paste or keys typed
 * on over a slow link come within a few ms of each other; a person reading the feedback takes far longer.
 */
export const QUIET_AFTER_SUBMIT_MS = 250;
