// The `?` help of every kind of lesson step wraps its lines instead of cutting them: at 80x24 each step's whole
// list shows, every description whole and hanging under itself; at 40x12 what shows is whole, and the rest says so.
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { HelpOverlay } from '../../src/tui/components/HelpOverlay.js';
import { KEY_MODES, MODE_NOTES, MODE_TITLES, STEP_KEYS } from '../../src/tutor/step-keys.js';
import { themeFor } from '../../src/tui/theme.js';
import { displayWidth } from '../../src/util/text.js';

const theme = themeFor({ width: 80, height: 24, colors: 0, unicode: true });
const flat = (s: string) => s.replace(/\s+/g, ' ');

function help(mode: (typeof KEY_MODES)[number], columns: number, rows: number): string {
  const app = render(
    <HelpOverlay
      theme={theme}
      ascii={false}
      width={columns}
      height={rows}
      title={`Keys on ${MODE_TITLES[mode]}`}
      bindings={STEP_KEYS[mode]}
      note={MODE_NOTES[mode]}
    />,
  );
  const frame = app.lastFrame() ?? '';
  app.unmount();
  return frame;
}

describe('the ? help of a lesson step', () => {
  it('has descriptions wider than an 80-column line (an experiment’s options)', () => {
    expect(STEP_KEYS['experiment-options'].some((k) => 16 + displayWidth(k.description) > 80)).toBe(true);
  });

  for (const mode of KEY_MODES) {
    it(`${mode}: at 80x24 every key and its whole description, wrapped under itself`, () => {
      const frame = help(mode, 80, 24);
      const lines = frame.split('\n');
      expect(lines.length).toBeLessThanOrEqual(24);
      expect(frame).not.toContain('a taller window shows every key');
      for (const line of lines) {
        expect(displayWidth(line), line).toBeLessThanOrEqual(80);
        expect(line, frame).not.toMatch(/…\s*$/);
      }
      for (const k of STEP_KEYS[mode]) expect(flat(frame), k.label).toContain(flat(`${k.label.padEnd(16)}${k.description}`));
      const note = MODE_NOTES[mode];
      if (note) expect(flat(frame)).toContain(flat(note));
      // A continuation of a description starts under the description, not under the key.
      for (const [i, line] of lines.entries()) {
        if (i > 0 && /^ {16}\S/.test(line)) expect(lines[i - 1]!.length).toBeGreaterThan(16);
      }
    });

    it(`${mode}: at 40x12 what shows is whole, and a cut list says so`, () => {
      const frame = help(mode, 40, 12);
      const lines = frame.split('\n');
      expect(lines.length).toBeLessThanOrEqual(12);
      for (const line of lines) {
        expect(displayWidth(line), line).toBeLessThanOrEqual(40);
        expect(line, frame).not.toMatch(/…\s*$/);
      }
      const cut = frame.includes('a taller window shows every key');
      const shown = STEP_KEYS[mode].filter((k) => frame.includes(k.label.padEnd(16)));
      for (const k of shown) expect(flat(frame), k.label).toContain(flat(`${k.label.padEnd(16)}${k.description}`));
      if (!cut) expect(shown).toHaveLength(STEP_KEYS[mode].length);
      expect(flat(frame)).toContain('Press ? to go back.');
    });
  }
});
