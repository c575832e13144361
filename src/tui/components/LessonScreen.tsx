// The lesson screen: a header, the step's scrollable body, a notice, the input line and the status line.
import React, { useEffect, useMemo, useState } from 'react';
import { Box, Text, useInput, type Key } from 'ink';
import type { Lesson } from '../../lessons/types.js';
import type { RenderCaps } from '../../render/caps.js';
import type { TutorServices } from '../services.js';
import type { Theme } from '../theme.js';
import { commandFor, splitKeys } from '../keys.js';
import { useLesson } from '../hooks/use-lesson.js';
import { viewStep } from '../../tutor/step-view.js';
import { isTyping } from '../../tutor/step-ui.js';
import { Lines } from './Lines.js';
import { StatusLine } from './StatusLine.js';
import { toAscii } from '../../util/text.js';

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
  /** Whether the help overlay is open (keys go to the app then). */
  helpOpen: boolean;
  /** Back to the course map. */
  onHome(): void;
  /** Quit eds. */
  onQuit(): void;
  /** Toggle the help overlay. */
  onHelp(): void;
}

export function LessonScreen(props: LessonScreenProps): React.JSX.Element {
  const { lesson, services, caps, theme } = props;
  const session = useLesson(lesson, services, props.startIndex);
  const { step, ui, index } = session;
  const ascii = !caps.unicode;
  const bodyWidth = Math.max(10, caps.width - 2);
  const view = useMemo(
    () => viewStep(step, ui, { ...caps, width: bodyWidth }, theme.symbols),
    [step, ui, caps, bodyWidth, theme.symbols],
  );
  const typing = isTyping(step, ui);
  // Header 1 + notice 1 + input 1 (when typing) + hints 1 + status 1.
  const bodyHeight = Math.max(1, caps.height - 4 - (typing ? 1 : 0));
  const [scroll, setScroll] = useState(0);
  const maxScroll = Math.max(0, view.lines.length - bodyHeight);

  useEffect(() => setScroll(0), [index]);
  // A course-directory failure during the session (the answers are kept here) is said on the step where it happened.
  const [courseWarning, setCourseWarning] = useState<{ text: string; index: number } | null>(null);
  useEffect(() => {
    const fresh = services.takeWarnings?.() ?? [];
    if (fresh.length > 0) setCourseWarning({ text: fresh[fresh.length - 1]!, index });
  });
  useEffect(() => {
    // Keep the cursor line in view.
    if (view.focus < 0) return;
    setScroll((s) => (view.focus < s ? view.focus : view.focus >= s + bodyHeight ? view.focus - bodyHeight + 1 : s));
  }, [view.focus, bodyHeight]);
  const top = Math.min(scroll, maxScroll);

  useInput((rawInput, rawKey) => {
    for (const [input, key] of splitKeys(rawInput, rawKey)) handleKey(input, key);
  });

  function handleKey(input: string, key: Key): void {
    if (props.helpOpen) {
      if (input === '?' || key.escape || input === 'q') props.onHelp();
      return;
    }
    if (session.finished) {
      if (key.return || input === 'h' || key.escape) props.onHome();
      else if (input === 'q' || (key.ctrl && input === 'c')) props.onQuit();
      return;
    }
    // Read at the keypress: a key typed before the next frame must see the state the previous key left.
    const typingNow = session.typingNow();
    const command = commandFor(input, key, typingNow);
    if (command === null) {
      if (typingNow && (key.backspace || key.delete)) session.backspace();
      else if (typingNow && input && !key.ctrl && !key.meta) session.type(input);
      return;
    }
    const scrollBy = (n: number) => setScroll(Math.min(maxScroll, Math.max(0, top + n)));
    // The step as it is now: the frame on screen may be one keypress behind.
    const { step: cur, ui: curUi } = session.now();
    const listy =
      (cur.kind === 'question' && cur.options.length > 0 && curUi.kind === 'question' && !curUi.solved && !curUi.revealed) ||
      (cur.kind === 'experiment' && Object.keys(cur.choices).length > 0);
    switch (command) {
      case 'quit':
        return props.onQuit();
      case 'home':
        return props.onHome();
      case 'help':
        return props.onHelp();
      case 'next':
        return session.go(1);
      case 'prev':
        return session.go(-1);
      case 'up':
        return listy ? session.moveCursor(-1) : scrollBy(-1);
      case 'down':
        return listy ? session.moveCursor(1) : scrollBy(1);
      case 'left':
        return cur.kind === 'experiment' ? session.changeOption(-1) : cur.kind === 'page' ? session.go(-1) : undefined;
      case 'right':
        return cur.kind === 'experiment' ? session.changeOption(1) : cur.kind === 'page' ? session.go(1) : undefined;
      case 'pageUp':
        return scrollBy(-(bodyHeight - 1));
      case 'pageDown':
        return scrollBy(bodyHeight - 1);
      case 'toggle':
        return session.toggle();
      case 'run':
        return session.run();
      case 'confirm':
        return cur.kind === 'page' ? session.go(1) : session.submit();
      default: {
        const unreachable: never = command;
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
          Enter: back to the course map q: quit
        </Text>
      </Box>
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
      <Text wrap="truncate" color={theme.warning}>
        {fix(session.notice ?? (courseWarning?.index === index ? `! ${courseWarning.text}` : null) ?? (top < maxScroll ? `${theme.symbols.rule.repeat(3)} more below (↓/PgDn) ${theme.symbols.rule.repeat(3)}` : ' '))}
      </Text>
      {typing && ui.kind === 'question' ? (
        <Text wrap="truncate">
          <Text color={theme.accent}>{fix(`${theme.symbols.pointer} `)}</Text>
          {fix(ui.input)}
          <Text inverse> </Text>
        </Text>
      ) : null}
      <StatusLine
        fields={[services.user, lesson.id, `step ${index + 1}/${lesson.steps.length}`, services.backendLabel()]}
        hints={view.hints}
        width={caps.width}
        theme={theme}
        ascii={ascii}
      />
    </Box>
  );
}
