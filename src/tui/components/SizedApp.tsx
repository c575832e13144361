// The root a standalone screen (`eds project`, `eds instructor review`) shares: the screen at the terminal's size,
// or a one-line refusal while the terminal is too small, with the screen kept mounted so its state survives.
import type React from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import type { RenderCaps } from '../../render/caps.js';
import type { Theme } from '../theme.js';
import { themeFor } from '../theme.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { MIN_COLUMNS, MIN_ROWS } from '../App.js';

/** What the screen is drawn with. */
export interface SizedScreenProps {
  /** Size (one row short of the terminal), colour and Unicode. */
  caps: RenderCaps;
  /** Colours for those caps. */
  theme: Theme;
  /** Whether keys reach the screen (not while the terminal is too small). */
  active: boolean;
  /** Leaves the program. */
  onQuit(): void;
}

/** Props of {@link SizedApp}. */
export interface SizedAppProps {
  /** Colour and Unicode support (size comes from the live terminal). */
  caps: Pick<RenderCaps, 'colors' | 'unicode'>;
  /** Fixed size for tests; otherwise the terminal's. */
  size?: { columns: number; rows: number } | undefined;
  /** The one line shown while the terminal is too small. */
  tooSmall(columns: number, rows: number): string;
  /** Draws the screen. */
  children(props: SizedScreenProps): React.ReactNode;
}

export function SizedApp({ caps: baseCaps, size: fixedSize, tooSmall, children }: SizedAppProps): React.JSX.Element {
  const { exit } = useApp();
  const liveSize = useTerminalSize();
  const size = fixedSize ?? liveSize;
  // One row short of the terminal: a frame as tall as the screen makes Ink clear and rewrite the whole screen on every update.
  const caps: RenderCaps = { ...baseCaps, width: size.columns, height: size.rows - 1 };
  const theme = themeFor(caps);
  const small = size.columns < MIN_COLUMNS || size.rows < MIN_ROWS;
  // Hidden, not unmounted, while too small: whatever the screen holds (a training, a cursor, answers) survives a resize.
  return (
    <Box flexDirection="column">
      {small ? <TooSmall line={tooSmall(size.columns, size.rows)} onQuit={() => exit()} /> : null}
      <Box display={small ? 'none' : 'flex'} flexDirection="column">
        {children({ caps, theme, active: !small, onQuit: () => exit() })}
      </Box>
    </Box>
  );
}

function TooSmall({ line, onQuit }: { line: string; onQuit(): void }): React.JSX.Element {
  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) onQuit();
  });
  return <Text wrap="truncate">{line}</Text>;
}
