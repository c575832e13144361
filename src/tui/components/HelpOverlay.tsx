// The `?` screen: every key binding from the one table in keys.ts.
import React from 'react';
import { Box, Text } from 'ink';
import { BINDINGS, type Binding } from '../keys.js';
import type { Theme } from '../theme.js';
import { toAscii } from '../../util/text.js';

/** Props of {@link HelpOverlay}. */
export interface HelpOverlayProps {
  /** Theme. */
  theme: Theme;
  /** ASCII only. */
  ascii: boolean;
  /** Columns available. */
  width: number;
  /** The keys to list (default: the lesson screen's). */
  bindings?: readonly Binding[];
}

export function HelpOverlay({ theme, ascii, width, bindings = BINDINGS }: HelpOverlayProps): React.JSX.Element {
  const fix = (s: string) => (ascii ? toAscii(s) : s);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold color={theme.accent}>
        Keys
      </Text>
      {bindings.map((b) => (
        <Text key={b.command} wrap="truncate">
          <Text bold>{fix(b.label).padEnd(16)}</Text>
          {fix(b.description)}
        </Text>
      ))}
      <Text> </Text>
      <Text wrap="truncate" color={theme.muted}>
        Your answers are saved as you go. Press ? to go back.
      </Text>
    </Box>
  );
}
