// The root of `eds instructor review` at a terminal: the review screen at the terminal's size, or a one-line refusal when it is too small.
import React from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import type { RenderCaps } from '../../render/caps.js';
import type { ReviewServices } from './services.js';
import { themeFor } from '../theme.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { MIN_COLUMNS, MIN_ROWS } from '../App.js';
import { ReviewScreen } from './ReviewScreen.js';

/** Props of {@link ReviewApp}. */
export interface ReviewAppProps {
  /** Services. */
  services: ReviewServices;
  /** Colour and Unicode support (size comes from the live terminal). */
  caps: Pick<RenderCaps, 'colors' | 'unicode'>;
  /** Fixed size for tests; otherwise the terminal's. */
  size?: { columns: number; rows: number };
}

export function ReviewApp({ services, caps: baseCaps, size: fixedSize }: ReviewAppProps): React.JSX.Element {
  const { exit } = useApp();
  const liveSize = useTerminalSize();
  const size = fixedSize ?? liveSize;
  // One row short of the terminal: a frame as tall as the screen makes Ink rewrite the whole screen on every update.
  const caps: RenderCaps = { ...baseCaps, width: size.columns, height: size.rows - 1 };
  const theme = themeFor(caps);
  const small = size.columns < MIN_COLUMNS || size.rows < MIN_ROWS;
  // Hidden, not unmounted, while too small: the cursor and the undo history survive a resize.
  return (
    <Box flexDirection="column">
      {small ? <TooSmall columns={size.columns} rows={size.rows} onQuit={() => exit()} /> : null}
      <Box display={small ? 'none' : 'flex'} flexDirection="column">
        <ReviewScreen services={services} caps={caps} theme={theme} active={!small} onQuit={() => exit()} />
      </Box>
    </Box>
  );
}

function TooSmall({ columns, rows, onQuit }: { columns: number; rows: number; onQuit(): void }): React.JSX.Element {
  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) onQuit();
  });
  const long = `Terminal too small (${columns}x${rows}); the review needs ${MIN_COLUMNS}x${MIN_ROWS}. Enlarge it, or q to quit.`;
  return <Text wrap="truncate">{long.length <= columns ? long : `need ${MIN_COLUMNS}x${MIN_ROWS}; q quits`.slice(0, Math.max(1, columns))}</Text>;
}
