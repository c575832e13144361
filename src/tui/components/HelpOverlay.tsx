// The `?` screen: the keys of the current screen, from its one table (keys.ts, tutor/step-keys.ts).
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
  /** The keys to list (default: the course map's, keys.ts). */
  bindings?: ReadonlyArray<Pick<Binding, 'label' | 'description'>>;
  /** Title line (default "Keys"). */
  title?: string;
  /** A line under the keys (what other keys do here). */
  note?: string;
}

export function HelpOverlay({ theme, ascii, width, bindings = BINDINGS, title = 'Keys', note }: HelpOverlayProps): React.JSX.Element {
  const fix = (s: string) => (ascii ? toAscii(s) : s);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold color={theme.accent}>
        {fix(title)}
      </Text>
      {bindings.map((b, i) => (
        <Text key={i} wrap="truncate">
          <Text bold>{fix(b.label).padEnd(16)}</Text>
          {fix(b.description)}
        </Text>
      ))}
      {note ? <Text wrap="wrap">{fix(note)}</Text> : null}
      <Text> </Text>
      <Text wrap="truncate" color={theme.muted}>
        Your answers are saved as you go. Press ? to go back.
      </Text>
    </Box>
  );
}
