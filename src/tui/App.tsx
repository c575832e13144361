// The tutor's root: the course map or a lesson, the help overlay, and a clean quit.
import type React from 'react';
import { useState } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import type { TutorServices } from '../tutor/services.js';
import type { RenderCaps } from '../render/caps.js';
import { themeFor } from './theme.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { CourseMapScreen } from './components/CourseMapScreen.js';
import { LessonScreen } from './components/LessonScreen.js';
import { HelpOverlay } from './components/HelpOverlay.js';

/** Where the app opens. */
export type Screen = { name: 'map'; lesson: string | null } | { name: 'lesson'; lesson: string; step: number };

/** Smallest usable terminal. */
export const MIN_COLUMNS = 40;
export const MIN_ROWS = 12;

/** Props of {@link App}. */
export interface AppProps {
  /** Services. */
  services: TutorServices;
  /** First screen. */
  initial: Screen;
  /** Colour and Unicode support (size comes from the live terminal). */
  caps: Pick<RenderCaps, 'colors' | 'unicode'>;
  /** Fixed size for tests; otherwise the terminal's. */
  size?: { columns: number; rows: number };
  /** Called when the student quits, before the app exits (tests see the quit). */
  onQuit?(): void;
}

export function App({ services, initial, caps: baseCaps, size: fixedSize, onQuit }: AppProps): React.JSX.Element {
  const { exit } = useApp();
  const liveSize = useTerminalSize();
  const size = fixedSize ?? liveSize;
  const [screen, setScreen] = useState<Screen>(initial);
  const [help, setHelp] = useState(false);
  // One row short of the terminal: a frame as tall as the screen makes Ink clear and rewrite the whole screen on
  // every update (and the terminal scroll), which is exactly the redraw storm a slow SSH link cannot afford.
  const caps: RenderCaps = { ...baseCaps, width: size.columns, height: size.rows - 1 };
  const theme = themeFor(caps);
  const quit = () => {
    onQuit?.();
    exit();
  };
  const toggleHelp = () => setHelp((h) => !h);

  // Too small to draw: the screens stay mounted (hidden, taking no keys), so the step and its state survive the resize.
  const tooSmall = size.columns < MIN_COLUMNS || size.rows < MIN_ROWS;
  // The lesson screen draws its own help: the keys of the step it shows.
  const mapHelp = help && screen.name === 'map';
  return (
    <Box flexDirection="column">
      {tooSmall ? <TooSmall columns={size.columns} rows={size.rows} onQuit={quit} /> : null}
      {mapHelp && !tooSmall ? <HelpOverlay theme={theme} ascii={!caps.unicode} width={caps.width} height={caps.height} /> : null}
      <Box display={mapHelp || tooSmall ? 'none' : 'flex'} flexDirection="column">
        {screen.name === 'map' ? (
          <CourseMapScreen
            services={services}
            caps={caps}
            theme={theme}
            initialLesson={screen.lesson}
            helpOpen={help}
            suspended={tooSmall}
            onOpen={(id) => {
              const progress = services.store.progress(id);
              setScreen({ name: 'lesson', lesson: id, step: progress?.currentStep ?? 0 });
            }}
            onQuit={quit}
            onHelp={toggleHelp}
          />
        ) : (
          <LessonOrRefusal
            key={screen.lesson}
            screen={screen}
            services={services}
            caps={caps}
            theme={theme}
            help={help}
            suspended={tooSmall}
            onHome={() => {
              // Help belongs to the screen it was opened on.
              setHelp(false);
              setScreen({ name: 'map', lesson: screen.lesson });
            }}
            onQuit={quit}
            onHelp={toggleHelp}
          />
        )}
      </Box>
    </Box>
  );
}

function LessonOrRefusal(props: {
  screen: { lesson: string; step: number };
  services: TutorServices;
  caps: RenderCaps;
  theme: ReturnType<typeof themeFor>;
  help: boolean;
  suspended: boolean;
  onHome(): void;
  onQuit(): void;
  onHelp(): void;
}): React.JSX.Element {
  const lesson = props.services.lessons.find((l) => l.id === props.screen.lesson);
  if (!lesson) return <Refusal lessonId={props.screen.lesson} services={props.services} onHome={props.onHome} onQuit={props.onQuit} />;
  return (
    <LessonScreen
      lesson={lesson}
      startIndex={props.screen.step}
      services={props.services}
      caps={props.caps}
      theme={props.theme}
      helpOpen={props.help}
      suspended={props.suspended}
      onHome={props.onHome}
      onQuit={props.onQuit}
      onHelp={props.onHelp}
    />
  );
}

/** A lesson that is missing or broken: its problems as `file:line: message`, never a crash. */
function Refusal({ lessonId, services, onHome, onQuit }: { lessonId: string; services: TutorServices; onHome(): void; onQuit(): void }): React.JSX.Element {
  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) onQuit();
    else if (key.return || key.escape || input === 'h') onHome();
  });
  const problems = services.problems.filter((p) => p.file.includes(lessonId));
  return (
    <Box flexDirection="column">
      <Text bold>Lesson "{lessonId}" cannot be opened.</Text>
      {problems.length > 0 ? (
        problems.slice(0, 10).map((p, i) => (
          <Text key={i} wrap="truncate">
            {`${p.file}:${p.line}: ${p.message}`}
          </Text>
        ))
      ) : (
        <Text>No lesson has this id (eds lessons lists them).</Text>
      )}
      <Text>Enter: course map q: quit</Text>
    </Box>
  );
}

function TooSmall({ columns, rows, onQuit }: { columns: number; rows: number; onQuit(): void }): React.JSX.Element {
  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) onQuit();
  });
  return <Text wrap="wrap">{`Terminal too small (${columns}x${rows}); eds needs ${MIN_COLUMNS}x${MIN_ROWS}. Enlarge the window, or q to quit.`}</Text>;
}
