// A progress bar drawn with the theme's symbols (blocks in Unicode, # and . in ASCII).
import React from 'react';
import { Text } from 'ink';
import type { Theme } from '../theme.js';

/** Props of {@link ProgressBar}. */
export interface ProgressBarProps {
  /** Steps done. */
  done: number;
  /** All steps. */
  total: number;
  /** Cells wide. */
  width: number;
  /** Theme. */
  theme: Theme;
}

export function ProgressBar({ done, total, width, theme }: ProgressBarProps): React.JSX.Element {
  const cells = Math.max(1, width);
  const filled = total > 0 ? Math.round((cells * Math.min(done, total)) / total) : 0;
  return (
    <Text>
      <Text color={theme.success}>{theme.symbols.barFull.repeat(filled)}</Text>
      <Text color={theme.muted}>{theme.symbols.barEmpty.repeat(cells - filled)}</Text>
    </Text>
  );
}
