// The home screen: the six sessions and the final project, each lesson with its progress; Enter opens one.
import type React from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, useInput, type Key } from 'ink';
import type { RenderCaps } from '../../render/caps.js';
import type { TutorServices } from '../../tutor/services.js';
import type { Theme } from '../theme.js';
import { keyName, splitKeys } from '../keys.js';
import { mapActionFor } from '../../tutor/step-keys.js';
import { courseMap } from '../../tutor/course-map.js';
import { viewMap } from '../../tutor/map-view.js';
import { Lines } from './Lines.js';
import { StatusLine } from './StatusLine.js';
import { toAscii } from '../../util/text.js';

/** Props of {@link CourseMapScreen}. */
export interface CourseMapScreenProps {
  /** Services. */
  services: TutorServices;
  /** Size and capabilities. */
  caps: RenderCaps;
  /** Theme. */
  theme: Theme;
  /** Lesson to highlight first. */
  initialLesson: string | null;
  /** Whether the help overlay is open. */
  helpOpen: boolean;
  /** The terminal is too small: the map stays as it is, hidden, and takes no keys. */
  suspended?: boolean;
  /** Opens a lesson. */
  onOpen(lessonId: string): void;
  /** Quit. */
  onQuit(): void;
  /** Toggle help. */
  onHelp(): void;
}

export function CourseMapScreen(props: CourseMapScreenProps): React.JSX.Element {
  const { services, caps, theme } = props;
  const map = useMemo(() => courseMap(services.lessons, services.store.allProgress()), [services]);
  const order = useMemo(() => map.flatMap((e) => e.lessons.map((l) => l.lesson.id)), [map]);
  const [cursor, setCursorState] = useState(() => Math.max(0, order.indexOf(props.initialLesson ?? '')));
  // Keys can arrive faster than frames: each must move from where the previous one left the cursor.
  const cursorRef = useRef(cursor);
  const setCursor = (next: (c: number) => number) => {
    cursorRef.current = next(cursorRef.current);
    setCursorState(cursorRef.current);
  };
  const view = useMemo(
    () => viewMap(map, services.problems, cursor, caps.width - 2, theme.symbols),
    [map, services.problems, cursor, caps.width, theme.symbols],
  );
  const bodyHeight = Math.max(1, caps.height - 4);
  const [scroll, setScroll] = useState(0);
  const focus = view.items[cursor]?.line ?? 0;
  useEffect(() => {
    setScroll((s) => (focus < s + 1 ? Math.max(0, focus - 1) : focus >= s + bodyHeight ? focus - bodyHeight + 1 : s));
  }, [focus, bodyHeight]);

  useInput(
    (rawInput, rawKey) => {
      for (const [input, key] of splitKeys(rawInput, rawKey)) handleKey(input, key);
    },
    { isActive: !props.suspended },
  );

  function handleKey(input: string, key: Key): void {
    if (props.helpOpen) {
      if (input === '?' || key.escape || input === 'q') props.onHelp();
      return;
    }
    // The map's keys come from its one table (tutor/step-keys.ts), as its `?` help does.
    const name = keyName(input, key);
    const action = name === null ? null : mapActionFor(name);
    const n = order.length;
    switch (action) {
      case null:
        return;
      case 'cursorUp':
        if (n > 0) setCursor((c) => (c - 1 + n) % n);
        return;
      case 'cursorDown':
        if (n > 0) setCursor((c) => (c + 1) % n);
        return;
      case 'open':
        if (order[cursorRef.current]) props.onOpen(order[cursorRef.current]!);
        return;
      case 'help':
        return props.onHelp();
      case 'quit':
        return props.onQuit();
      default: {
        const unreachable: never = action;
        return unreachable;
      }
    }
  }

  const ascii = !caps.unicode;
  const title = ` eds ${theme.symbols.dot} Earth Data Science ${theme.symbols.dot} course map`;
  return (
    <Box flexDirection="column" width={caps.width}>
      <Text bold inverse={theme.inverse} wrap="truncate">
        {(ascii ? toAscii(title) : title).padEnd(caps.width)}
      </Text>
      <Box flexDirection="column" height={bodyHeight} paddingLeft={1}>
        <Lines lines={view.lines.slice(scroll, scroll + bodyHeight)} theme={theme} ascii={ascii} />
      </Box>
      <Text> </Text>
      <StatusLine
        fields={[services.user, `${order.length} lessons`, services.backendLabel()]}
        hints={order.length > 0 ? '↑↓ choose a lesson  Enter open' : 'no lessons found'}
        width={caps.width}
        theme={theme}
        ascii={ascii}
      />
    </Box>
  );
}
