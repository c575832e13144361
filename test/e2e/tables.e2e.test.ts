// A lesson page with a pipe table, in a real 80x24 terminal: the volcano's classes are drawn as aligned columns
// (box drawing, or ASCII under LANG=C), every cell whole, no pipe syntax left. Needs `npm run build`.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Terminal, sleep } from './tmux.js';

const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.stop();
});

/** Columns where `chars` stand on a line. */
const columns = (line: string, chars: string) => [...line].flatMap((ch, i) => (chars.includes(ch) ? [i] : []));

const CASES: { label: string; env: Record<string, string>; bar: string; cross: string; rule: string }[] = [
  { label: 'Unicode', env: { LANG: 'C.UTF-8' }, bar: '│', cross: '┼', rule: '─' },
  { label: 'ASCII (LANG=C)', env: { LANG: 'C', LC_ALL: 'C' }, bar: '|', cross: '+', rule: '-' },
];

describe('a table on a lesson page at 80x24', () => {
  for (const c of CASES) {
    it(`is drawn aligned, in ${c.label}`, async () => {
      const home = mkdtempSync(join(tmpdir(), 'eds-e2e-tables-'));
      const t = new Terminal({ TERM: 'xterm-256color', EDS_HOME: home, ...c.env });
      terminals.push(t);
      t.start('node bin/eds.js start volcano');
      const top = await t.waitFor(/step 1\/\d+/);
      expect(top).toContain('The classes of our catalogue:');
      // The table runs past the first screen: scroll to its end.
      let screen = top;
      for (let k = 0; k < 4 && !screen.includes('NOISE '); k++) {
        t.send('PgDn');
        await sleep(400);
        screen = t.screen();
      }
      const both = `${top}\n${screen}`;
      // The page's rows: without the header bar, the scrolling note, the keys and the status line.
      const body = both.split('\n').filter((l) => !/step 1\/\d+|more below|next .* back/.test(l));
      const rows = body.filter((l) => l.includes(` ${c.bar} `));
      const rules = body.filter((l) => l.includes(`${c.rule}${c.cross}${c.rule}`));
      expect(rows.length).toBeGreaterThan(8);
      expect(rules.length).toBeGreaterThan(3);
      // Every row's separators, and every rule's crossings, stand in the same two columns.
      const at = columns(rows[0]!, c.bar);
      expect(at).toHaveLength(2);
      for (const l of rows) expect(columns(l, c.bar)).toEqual(at);
      for (const l of rules) expect(columns(l, c.cross)).toEqual(at);
      for (const l of [...rows, ...rules]) expect(l.length).toBeLessThanOrEqual(80);
      // No pipe syntax as the lesson file writes it.
      for (const l of body) {
        // (The body has a margin of one column; a cell left empty is padded, so its row starts with spaces.)
        expect(l).not.toMatch(/^ ?\|/);
        expect(l).not.toMatch(/\|\s*:?-{3}/);
      }
      // Each class and its description read whole, column by column (a cell wraps at spaces, never mid-word).
      const cells = (col: number) =>
        rows.map((l) => (col === 0 ? l.slice(0, at[0]) : col === 1 ? l.slice(at[0]! + 1, at[1]) : l.slice(at[1]! + 1)).trim()).join(' ');
      for (const label of ['VT', 'LP', 'TR', 'AV', 'IC', 'NOISE']) expect(cells(0)).toContain(label);
      expect(cells(1)).toContain('crevassing in the glacier');
      expect(cells(2).replace(/\s+/g, ' ')).toContain('emergent, cigar-shaped envelope, broadband, long');
      if (c.label !== 'Unicode') expect(both).toMatch(/^[\x00-\x7f]*$/);
    }, 60_000);
  }
});
