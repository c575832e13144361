// The bottom line: student, lesson, step k/n, backend, and the keys that matter now.
import type React from 'react';
import { Text } from 'ink';
import type { Theme } from '../theme.js';
import { toAscii } from '../../util/text.js';

/** Props of {@link StatusLine}. */
export interface StatusLineProps {
  /** Fields shown left to right (student, lesson, step, backend). */
  fields: string[];
  /** Key hints (the line above the status line). */
  hints: string;
  /** The status line's right end (default: help and quit). */
  right?: string;
  /** Columns. */
  width: number;
  /** Theme. */
  theme: Theme;
  /** ASCII only. */
  ascii: boolean;
}

export function StatusLine({ fields, hints, right = '? keys  q quit', width, theme, ascii }: StatusLineProps): React.JSX.Element {
  const sep = ` ${theme.symbols.dot} `;
  let left = fields.join(sep);
  if (left.length + right.length + 2 > width) left = left.slice(0, Math.max(0, width - right.length - 2));
  const pad = Math.max(1, width - left.length - right.length);
  const fix = (s: string) => (ascii ? toAscii(s) : s);
  return (
    <>
      <Text wrap="truncate" color={theme.muted}>
        {fix(hints) || ' '}
      </Text>
      <Text wrap="truncate" inverse={theme.inverse}>
        {fix(left + ' '.repeat(pad) + right).slice(0, width)}
      </Text>
    </>
  );
}
