// The `?` screen: the keys of the current screen, from its one table (tutor/step-keys.ts, a screen's bindings).
import React from 'react';
import { Box, Text } from 'ink';
import { KEY_SUMMARY, MAP_KEYS } from '../../tutor/step-keys.js';
import type { Theme } from '../theme.js';
import { toAscii } from '../../util/text.js';

/** A key row as the help shows it. */
export interface HelpRow {
  /** The keys. */
  label: string;
  /** What they do. */
  description: string;
}

/** A second list under the first, with its own title. */
export interface HelpSection {
  /** Its title line. */
  title: string;
  /** Its rows. */
  bindings: readonly HelpRow[];
}

/** Props of {@link HelpOverlay}. */
export interface HelpOverlayProps {
  /** Theme. */
  theme: Theme;
  /** ASCII only. */
  ascii: boolean;
  /** Columns available. */
  width: number;
  /** Rows available: a list too long for them is cut, and says so. */
  height?: number;
  /** The keys to list (default: the course map's, and the lesson keys in brief). */
  bindings?: readonly HelpRow[];
  /** Title line (default "Keys", or the course map's). */
  title?: string;
  /** A line under the keys (what other keys do here). */
  note?: string;
  /** A second list (the course map's default: the lesson keys in brief). */
  more?: HelpSection;
}

/** The course map's help: its own keys, then those of a lesson in brief (the README's table). */
const MAP_HELP = {
  title: 'Keys on the course map',
  bindings: MAP_KEYS,
  more: { title: 'In a lesson (there, ? lists the keys of the step you are on)', bindings: KEY_SUMMARY },
} as const;

type Row = { kind: 'title' | 'key' | 'note' | 'blank'; text: string; label?: string };

export function HelpOverlay(props: HelpOverlayProps): React.JSX.Element {
  const { theme, ascii, width, height, note } = props;
  const map = props.bindings === undefined;
  const title = props.title ?? (map ? MAP_HELP.title : 'Keys');
  const bindings = props.bindings ?? MAP_HELP.bindings;
  const more = props.more ?? (map ? MAP_HELP.more : undefined);
  const fix = (s: string) => (ascii ? toAscii(s) : s);
  const rows: Row[] = [{ kind: 'title', text: title }, ...bindings.map((b): Row => ({ kind: 'key', label: b.label, text: b.description }))];
  if (note) rows.push({ kind: 'note', text: note });
  if (more) rows.push({ kind: 'blank', text: '' }, { kind: 'title', text: more.title }, ...more.bindings.map((b): Row => ({ kind: 'key', label: b.label, text: b.description })));
  // The closing lines (a blank and how to leave) always show; the list gives way when the window is short.
  const tall = (r: Row) => (r.kind === 'note' ? Math.max(1, Math.ceil(r.text.length / Math.max(1, width))) : 1);
  const shown = height === undefined ? rows : fitRows(rows, Math.max(2, height - 2), tall);
  return (
    <Box flexDirection="column" width={width}>
      {shown.map((r, i) =>
        r.kind === 'title' ? (
          <Text key={i} bold color={theme.accent} wrap="truncate">
            {fix(r.text)}
          </Text>
        ) : r.kind === 'key' ? (
          <Text key={i} wrap="truncate">
            <Text bold>{fix(r.label ?? '').padEnd(16)}</Text>
            {fix(r.text)}
          </Text>
        ) : r.kind === 'note' ? (
          <Text key={i} wrap="wrap">
            {fix(r.text)}
          </Text>
        ) : (
          <Text key={i}> </Text>
        ),
      )}
      <Text> </Text>
      <Text wrap="truncate" color={theme.muted}>
        Your answers are saved as you go. Press ? to go back.
      </Text>
    </Box>
  );
}

/** The rows that fit in `room` lines, the last of them saying that some are left out. */
function fitRows(rows: readonly Row[], room: number, tall: (r: Row) => number): Row[] {
  const total = rows.reduce((n, r) => n + tall(r), 0);
  if (total <= room) return [...rows];
  const out: Row[] = [];
  let used = 1;
  for (const r of rows) {
    if (used + tall(r) > room) break;
    out.push(r);
    used += tall(r);
  }
  return [...out, { kind: 'note', text: '… (a taller window shows every key)' }];
}
