// The `?` screen: the keys of the current screen, from its one table (tutor/step-keys.ts, a screen's bindings).
import type React from 'react';
import { Box, Text } from 'ink';
import { KEY_SUMMARY, MAP_KEYS } from '../../tutor/step-keys.js';
import type { Theme } from '../theme.js';
import { displayWidth, toAscii } from '../../util/text.js';
import { wrapWords } from '../../render/text.js';

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
  if (more)
    rows.push(
      { kind: 'blank', text: '' },
      { kind: 'title', text: more.title },
      ...more.bindings.map((b): Row => ({ kind: 'key', label: b.label, text: b.description })),
    );
  // Every row wraps to the width (a key's description under itself), so no line is cut at the edge.
  const laid = rows.map((r) => layRow(r, width, fix));
  // The closing lines (a blank and how to leave, wrapped too) always show; the list gives way when the window is short.
  const closing = wrapWords(CLOSING, width);
  const shown = height === undefined ? laid : fitRows(laid, Math.max(2, height - 1 - closing.length), width, fix);
  return (
    <Box flexDirection="column" width={width}>
      {shown.flatMap((r, i) =>
        r.lines.map((line, j) =>
          r.kind === 'title' ? (
            <Text key={`${i}.${j}`} bold color={theme.accent} wrap="truncate">
              {line}
            </Text>
          ) : r.kind === 'key' ? (
            <Text key={`${i}.${j}`} wrap="truncate">
              <Text bold>{j === 0 ? r.label : ''}</Text>
              {line}
            </Text>
          ) : (
            <Text key={`${i}.${j}`} wrap="truncate">
              {line || ' '}
            </Text>
          ),
        ),
      )}
      <Text> </Text>
      {closing.map((line, i) => (
        <Text key={`closing.${i}`} wrap="truncate" color={theme.muted}>
          {line}
        </Text>
      ))}
    </Box>
  );
}

/** The help's last line: how to leave it. */
const CLOSING = 'Your answers are saved as you go. Press ? to go back.';

/** The key column: wide enough for the labels of the tables (16), one space after a longer label. */
const LABEL_COLUMNS = 16;

/** A row as the lines it takes at `width`: a key's label padded to its column, its description wrapped under itself. */
type LaidRow = { kind: Row['kind']; label: string; lines: string[] };

function layRow(r: Row, width: number, fix: (s: string) => string): LaidRow {
  if (r.kind === 'blank') return { kind: r.kind, label: '', lines: [''] };
  const text = fix(r.text);
  if (r.kind !== 'key') return { kind: r.kind, label: '', lines: wrapWords(text, width) };
  const label = fix(r.label ?? '');
  const column = Math.max(LABEL_COLUMNS, displayWidth(label) + 1);
  // On a window too narrow for the column, the description goes under its label.
  if (width - column < 12) return { kind: r.kind, label, lines: ['', ...wrapWords(text, width - 2).map((l) => `  ${l}`)] };
  const lines = wrapWords(text, width - column);
  return { kind: r.kind, label: label + ' '.repeat(column - displayWidth(label)), lines: lines.map((l, i) => (i === 0 ? l : ' '.repeat(column) + l)) };
}

/** The rows that fit in `room` lines, whole, the last line saying that some are left out. */
function fitRows(rows: readonly LaidRow[], room: number, width: number, fix: (s: string) => string): LaidRow[] {
  const total = rows.reduce((n, r) => n + r.lines.length, 0);
  if (total <= room) return [...rows];
  const out: LaidRow[] = [];
  let used = 1;
  for (const r of rows) {
    if (used + r.lines.length > room) break;
    out.push(r);
    used += r.lines.length;
  }
  return [...out, { kind: 'note', label: '', lines: wrapWords(fix('… (a taller window shows every key)'), width).slice(0, 1) }];
}
