// Draws laid-out lines (from the pure step view) with the theme's colours; one <Text> per line, truncated, never wrapped.
import type React from 'react';
import { Text } from 'ink';
import type { Line } from '../../render/styled-line.js';
import type { Theme } from '../theme.js';
import { toAscii } from '../../util/text.js';

/** Props of {@link Lines}. */
export interface LinesProps {
  /** The lines to draw (already cut to the visible window). */
  lines: readonly Line[];
  /** Theme for roles. */
  theme: Theme;
  /** Whether non-ASCII characters must be replaced (LANG=C, TERM=dumb). */
  ascii: boolean;
}

export function Lines({ lines, theme, ascii }: LinesProps): React.JSX.Element {
  const fix = (s: string) => (ascii ? toAscii(s) : s);
  return (
    <>
      {lines.map((line, i) =>
        typeof line === 'string' ? (
          <Text key={i} wrap="truncate">
            {fix(line) || ' '}
          </Text>
        ) : (
          <Text key={i} wrap="truncate">
            {line.length === 0 ? ' ' : null}
            {line.map((seg, j) => (
              // Inline code takes the accent colour, as code does on a page (renderMarkdown draws it cyan).
              <Text
                key={j}
                color={seg.code ? theme.accent : seg.role ? theme[seg.role] : undefined}
                bold={seg.bold}
                italic={seg.italic}
                inverse={seg.inverse && theme.inverse}
              >
                {fix(seg.text)}
              </Text>
            ))}
          </Text>
        ),
      )}
    </>
  );
}
