// The root of `eds project` at a terminal: the project screen at the terminal's size, or a one-line refusal when the terminal is too small.
import React from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import type { RenderCaps } from '../../render/caps.js';
import type { ProjectServices } from './services.js';
import { themeFor } from '../theme.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { MIN_COLUMNS, MIN_ROWS } from '../App.js';
import { ProjectScreen } from './ProjectScreen.js';

/** Props of {@link ProjectApp}. */
export interface ProjectAppProps {
  /** Services. */
  services: ProjectServices;
  /** Colour and Unicode support (size comes from the live terminal). */
  caps: Pick<RenderCaps, 'colors' | 'unicode'>;
  /** Fixed size for tests; otherwise the terminal's. */
  size?: { columns: number; rows: number };
}

export function ProjectApp({ services, caps: baseCaps, size: fixedSize }: ProjectAppProps): React.JSX.Element {
  const { exit } = useApp();
  const liveSize = useTerminalSize();
  const size = fixedSize ?? liveSize;
  // One row short of the terminal: a frame as tall as the screen makes Ink clear and rewrite the whole screen on every update.
  const caps: RenderCaps = { ...baseCaps, width: size.columns, height: size.rows - 1 };
  const theme = themeFor(caps);
  const small = size.columns < MIN_COLUMNS || size.rows < MIN_ROWS;
  // Hidden, not unmounted, while the terminal is too small: the training and the answers survive a resize.
  return (
    <Box flexDirection="column">
      {small ? <TooSmall columns={size.columns} rows={size.rows} onQuit={() => exit()} /> : null}
      <Box display={small ? 'none' : 'flex'} flexDirection="column">
        <ProjectScreen services={services} caps={caps} theme={theme} active={!small} onQuit={() => exit()} />
      </Box>
    </Box>
  );
}

/** The refusal of a terminal too small to draw in, one line whatever its width (the training waits; q quits). */
export function tooSmallMessage(columns: number, rows: number): string {
  const long = `Terminal too small (${columns}x${rows}); eds project needs ${MIN_COLUMNS}x${MIN_ROWS}. Enlarge it, or q to quit.`;
  if (long.length <= columns) return long;
  const short = `Too small: need ${MIN_COLUMNS}x${MIN_ROWS}; q quits`;
  return short.length <= columns ? short : 'too small'.slice(0, Math.max(1, columns));
}

function TooSmall({ columns, rows, onQuit }: { columns: number; rows: number; onQuit(): void }): React.JSX.Element {
  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) onQuit();
  });
  return <Text wrap="truncate">{tooSmallMessage(columns, rows)}</Text>;
}
