// What a running step shows: a spinner that moves each tick, one bar for the whole run, curves from the per-epoch
// history that fit the width, and the previous run's results marked stale.
import { describe, expect, it } from 'vitest';
import {
  curveLines,
  liveEpoch,
  liveProgress,
  liveStatus,
  liveTick,
  progressBar,
  runLines,
  spinnerFrame,
  staleLines,
  startLive,
} from '../../src/tutor/run-view.js';
import { ASCII_SYMBOLS, UNICODE_SYMBOLS } from '../../src/render/symbols.js';
import { displayWidth, stripAnsi } from '../../src/util/text.js';
import type { Line } from '../../src/tutor/step-view.js';

const text = (l: Line) => (typeof l === 'string' ? stripAnsi(l) : l.map((s) => s.text).join(''));
const caps = (width: number, unicode = true) => ({ width, height: 24, colors: 256 as const, unicode });

/** A training run's live state after `n` of `planned` epochs, loss falling and accuracy rising. */
function trained(n: number, planned = 5) {
  let live = startLive();
  for (let e = 0; e < n; e++) {
    live = liveEpoch(live, e, { loss: 1 / (e + 1), val_loss: 1.2 / (e + 1), accuracy: 0.5 + e / 20, val_accuracy: 0.45 + e / 20, seconds: 1 }, planned);
  }
  return live;
}

describe('spinner', () => {
  it('shows the next frame at every tick, in Unicode and in ASCII', () => {
    for (const sym of [UNICODE_SYMBOLS, ASCII_SYMBOLS]) {
      let live = startLive();
      const frames: string[] = [];
      for (let i = 0; i < sym.spinner.length; i++) {
        frames.push(spinnerFrame(live, sym));
        live = liveTick(live, 200 * (i + 1));
      }
      expect(new Set(frames).size).toBe(sym.spinner.length);
      expect(spinnerFrame(live, sym)).toBe(frames[0]);
    }
  });

  it('puts the frame, the time and the status on the first line', () => {
    let live = liveStatus(startLive(), 'training mlp (25,450 parameters) on WebAssembly…');
    const first = text(runLines(live, caps(80), UNICODE_SYMBOLS).lines[0]!);
    live = liveTick(liveTick(live, 700), 65_400);
    const later = text(runLines(live, caps(80), UNICODE_SYMBOLS).lines[0]!);
    // The time next to the spinner, so that a long status wrapping cannot leave it on a line of its own.
    expect(first).toMatch(/^⠋ 0:00 running… training mlp/);
    expect(later).toMatch(/^⠹ 1:05 running… training mlp/);
  });
});

describe('progress', () => {
  it('keeps one bar that never goes back and is full at 1', () => {
    let live = startLive();
    const shown: number[] = [];
    for (const f of [0.1, 0.3, 0.25, 0.6, 1]) {
      live = liveProgress(live, f, 'epoch 2/5');
      shown.push(live.fraction!);
    }
    expect(shown).toEqual([0.1, 0.3, 0.3, 0.6, 1]);
    expect(progressBar(1, 20, UNICODE_SYMBOLS)).toBe(`${'█'.repeat(20)} 100%`);
    expect(progressBar(0.5, 10, ASCII_SYMBOLS)).toBe('#####..... 50%');
    const lines = runLines(liveProgress(startLive(), 0.4, 'epoch 3/5'), caps(80), UNICODE_SYMBOLS).lines.map(text);
    expect(lines[1]).toMatch(/^epoch 3\/5 █+░+ 40%$/);
    // Under it, until an epoch ends, a note that the curves come then.
    expect(lines).toHaveLength(3);
  });

  it('draws no bar for a task that reports none', () => {
    expect(runLines(liveStatus(startLive(), 'generating your river record…'), caps(80), UNICODE_SYMBOLS).lines).toHaveLength(1);
  });
});

describe('curves', () => {
  for (const width of [80, 120, 40]) {
    it(`draw loss and accuracy from the per-epoch history within ${width} columns`, () => {
      const one = curveLines(trained(1).epochs, 5, caps(width));
      const three = curveLines(trained(3).epochs, 5, caps(width));
      for (const lines of [one, three]) {
        expect(lines.length).toBeGreaterThan(0);
        for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(width);
      }
      const flat = three.map(stripAnsi).join('\n');
      // The legends carry the last epoch's values: what a student watches.
      expect(flat).toContain('loss 0.333');
      expect(flat).toContain('val_loss 0.4');
      expect(flat).toContain('accuracy 0.6');
      expect(flat).toContain('val_accuracy 0.55');
      // The epoch axis spans the planned run from the start.
      expect(flat).toMatch(/\b5\b/);
      // Side by side where two fit, one above the other where they do not.
      // (side by side, both epoch axes are on one row, even where the accuracy legend wraps).
      expect(three.map(stripAnsi).filter((l) => l.includes('val_loss'))).toHaveLength(1);
      const axisRows = three.map(stripAnsi).filter((l) => /└/.test(l));
      expect(axisRows.length).toBe(width >= 74 ? 1 : 2);
    });
  }

  it('grow as epochs end, and are absent before the first', () => {
    expect(curveLines([], 5, caps(80))).toEqual([]);
    const plot = (n: number) =>
      curveLines(trained(n).epochs, 5, caps(80))
        .map(stripAnsi)
        .join('\n')
        .replace(/[^─═╗╚╔╝╭╮╯╰│]/g, '').length;
    expect(plot(4)).toBeGreaterThan(plot(2));
    const waiting = runLines(liveProgress(startLive(), 0.1, 'epoch 1/5'), caps(80), UNICODE_SYMBOLS).lines.map(text);
    expect(waiting).toContain('The curves appear when the first epoch ends.');
  });

  it('draw only the loss for a model that reports only a loss', () => {
    let live = startLive();
    for (let e = 0; e < 3; e++) live = liveEpoch(live, e, { loss: 2 - e / 3 }, 40);
    const flat = curveLines(live.epochs, live.planned, caps(80)).map(stripAnsi).join('\n');
    expect(flat).toContain('loss 1.33');
    expect(flat).not.toContain('accuracy');
  });

  it('are 7-bit without Unicode', () => {
    for (const l of curveLines(trained(3).epochs, 5, caps(80, false))) expect(stripAnsi(l)).toMatch(/^[\x20-\x7e]*$/);
  });
});

describe('stale results', () => {
  const stale = { options: { model: 'mlp', hidden: '32' }, lines: ['  accuracy  0.9312', '  params    25450'] };

  it('say whose they are and that they are stale, all dimmed, under the live block', () => {
    const block = runLines(trained(2), caps(80), UNICODE_SYMBOLS, stale);
    const lines = block.lines.map(text);
    const at = lines.findIndex((l) => l.startsWith('(previous run'));
    expect(at).toBeGreaterThanOrEqual(block.keep);
    expect(lines.slice(at).join(' ')).toContain('(previous run, options model=mlp hidden=32) — stale');
    expect(lines).toContain('  accuracy  0.9312');
    for (const l of block.lines.slice(at)) if (typeof l !== 'string') for (const s of l) expect(s.role).toBe('muted');
  });

  it('wrap at 40 columns and go 7-bit without Unicode', () => {
    const lines = staleLines(stale, caps(40, false)).map(text);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(40);
    expect(lines.join(' ')).toContain('- stale');
    expect(lines.join('')).toMatch(/^[\x20-\x7e]*$/);
  });
});
