// The keys as documented (the README's table, the course map's `?`, the intro's "The keys" page) agree with the
// table the lesson screen acts on (tutor/step-keys.ts), and the course map's keys do what its help says.
import React from 'react';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../src/tui/App.js';
import { KEY_MODES, KEY_SUMMARY, MAP_KEYS, STEP_KEYS, SUMMARY_LEAVES_OUT, actionFor, mapActionFor } from '../../src/tutor/step-keys.js';
import { parseLesson } from '../../src/lessons/parse.js';
import { renderMarkdown } from '../../src/lessons/markdown.js';
import type { Lesson, PageStep } from '../../src/lessons/types.js';
import { KEYS_LESSON, closeKeysStores, keysServices } from './keys-fixture.js';

const root = join(import.meta.dirname, '../..');
const tick = (ms = 40) => new Promise((r) => setTimeout(r, ms));
afterEach(closeKeysStores);

/** The rows of the README's keys table, backticks dropped: [keys, does]. */
function readmeKeyRows(): Array<[string, string]> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n### Keys\n'));
  const table = section.split('\n').slice(1);
  const start = table.findIndex((l) => /^\|\s*keys\s*\|\s*does\s*\|$/.test(l));
  expect(start, 'a "| keys | does |" table under ### Keys').toBeGreaterThanOrEqual(0);
  const rows: Array<[string, string]> = [];
  for (const line of table.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim().replace(/`/g, ''));
    expect(cells, line).toHaveLength(2);
    rows.push([cells[0]!, cells[1]!]);
  }
  return rows;
}

describe('the lesson keys in brief', () => {
  it('say what each key does on every kind of step they name', () => {
    for (const row of KEY_SUMMARY)
      for (const [keys, modes] of row.covers)
        for (const mode of modes)
          for (const key of keys) expect(row.actions, `${row.label}: ${key} on ${mode} does ${actionFor(mode, key)}`).toContain(actionFor(mode, key));
  });

  it('leave out no key of any step (but Backspace, which erases)', () => {
    for (const mode of KEY_MODES)
      for (const row of STEP_KEYS[mode])
        for (const key of row.keys) {
          if (SUMMARY_LEAVES_OUT.includes(key)) continue;
          const told = KEY_SUMMARY.some((s) => s.covers.some(([keys, modes]) => keys.includes(key) && modes.includes(mode)));
          expect(told, `${key} (${row.description}) on ${mode}`).toBe(true);
        }
  });

  it('fit beside their keys at 80 columns, as the help draws them', () => {
    for (const row of [...KEY_SUMMARY, ...MAP_KEYS]) {
      expect(row.label.length, row.label).toBeLessThan(16);
      expect(16 + row.description.length, row.description).toBeLessThanOrEqual(79);
    }
  });

  it('are the README’s table, row for row', () => {
    expect(readmeKeyRows()).toEqual(KEY_SUMMARY.map((r) => [r.label, r.description]));
  });
});

describe('the intro’s page on the keys', () => {
  it('says what the keys do now: Tab to the options, scrolling, Esc out of a field, p and ← back, n in review', () => {
    const parsed = parseLesson(readFileSync(join(root, 'lessons/00-intro.md'), 'utf8'), 'lessons/00-intro.md');
    expect(parsed.problems).toEqual([]);
    const page = (parsed.lesson as Lesson).steps.find((s): s is PageStep => s.kind === 'page' && s.title === 'The keys');
    expect(page).toBeDefined();
    // As the lesson screen lays a page out at 80×24: its title, then the body, 78 columns wide.
    const lines = renderMarkdown(`# ${page!.title}\n\n${page!.body}`, { width: 78, height: 23, colors: 0, unicode: true });
    const text = lines.join(' ').replace(/\s+/g, ' ');
    expect(text).toMatch(/Tab — to an experiment's options: `↑` `↓` pick one, `←` `→` change it/);
    expect(text).toMatch(/`↑` `↓` — scroll \(`PgUp` \/ `PgDn`/);
    expect(text).toMatch(/`n` \/ `p` \(or `→` \/ `←`\) — next and previous step/);
    expect(text).toMatch(/Esc leaves the field/);
    expect(text).toMatch(/`p`, `←`, `q` and `\?` still act as keys/);
    expect(text).toMatch(/there `n` means "no", not "next"/);
    // The page fits one 80×24 screen without scrolling: 19 lines between the header and the notice and footer.
    expect(lines.length).toBeLessThanOrEqual(19);
  });
});

describe('the course map', () => {
  function open() {
    const { services } = keysServices({ ...KEYS_LESSON });
    let quits = 0;
    const app = render(<App services={services} initial={{ name: 'map', lesson: null }} caps={{ colors: 0, unicode: true }} size={{ columns: 80, rows: 24 }} onQuit={() => quits++} />);
    return { app, frame: () => app.lastFrame() ?? '', quits: () => quits };
  }

  it('`?` lists its own keys and the lesson keys in brief, all on one 80×24 screen', async () => {
    const s = open();
    await tick();
    s.app.stdin.write('?');
    await tick();
    const frame = s.frame();
    expect(frame).toContain('Keys on the course map');
    for (const row of [...MAP_KEYS, ...KEY_SUMMARY]) expect(frame, row.label).toContain(`${row.label.padEnd(16)}${row.description}`);
    expect(frame).toContain('Press ? to go back.');
    expect(frame.split('\n').length).toBeLessThanOrEqual(23);
    s.app.stdin.write('?');
    await tick();
    expect(s.frame()).not.toContain('Keys on the course map');
  });

  it('a window too short for the list cuts it and says so', async () => {
    const { services } = keysServices();
    const app = render(<App services={services} initial={{ name: 'map', lesson: null }} caps={{ colors: 0, unicode: true }} size={{ columns: 80, rows: 14 }} />);
    await tick();
    app.stdin.write('?');
    await tick();
    const frame = app.lastFrame() ?? '';
    expect(frame).toContain('a taller window shows every key');
    expect(frame).toContain('Press ? to go back.');
    expect(frame.split('\n').length).toBeLessThanOrEqual(13);
  });

  it('its keys do what its help says', async () => {
    for (const row of MAP_KEYS)
      for (const key of row.keys) {
        const action = mapActionFor(key);
        const s = open();
        await tick();
        const bytes: Record<string, string> = { Up: '\u001B[A', Down: '\u001B[B', Right: '\u001B[C', Enter: '\r', 'Ctrl-C': '\u0003' };
        s.app.stdin.write(bytes[key] ?? key);
        await tick();
        const where = `${key} (${action})`;
        if (action === 'open') expect(s.frame(), where).toContain('step 1/');
        else if (action === 'help') expect(s.frame(), where).toContain('Keys on the course map');
        else if (action === 'quit') expect(s.quits(), where).toBe(1);
        else {
          // One lesson: the highlight wraps around onto it, and stays on the map.
          expect(action === 'cursorUp' || action === 'cursorDown', where).toBe(true);
          expect(s.frame(), where).toContain('course map');
          expect(s.frame(), where).not.toContain('step 1/');
        }
        s.app.unmount();
      }
    expect(mapActionFor('Down')).toBe('cursorDown');
    expect(mapActionFor('k')).toBe('cursorUp');
    expect(mapActionFor('Esc')).toBeNull();
  });
});
