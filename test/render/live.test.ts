// The live training chart: each update rewrites only the lines that changed, and the screen ends up equal to a full redraw.
import { describe, expect, it } from 'vitest';
import { LiveChart, renderLineChart, type LineSeries } from '../../src/render/line.js';
import { stripAnsi } from '../../src/render/text.js';
import { sampleTraining } from '../../src/render/samples.js';

/** A minimal terminal: enough of VT100 to replay what LiveChart emits (\n, \r, cursor up/down, erase line/below). */
class VirtualTerminal {
  lines: string[] = [''];
  row = 0;
  col = 0;
  /** Lines whose content was written (not just moved over) since the last reset. */
  touched = new Set<number>();

  write(data: string): void {
    const tokens = data.match(/\x1b\[[0-9;]*[A-Za-z]|\n|\r|[^\x1b\n\r]/gu) ?? [];
    for (const t of tokens) {
      if (t === '\n') {
        this.row++;
        this.col = 0;
      } else if (t === '\r') this.col = 0;
      else if (t.startsWith('\x1b[')) {
        const n = Number(t.slice(2, -1)) || 1;
        const cmd = t.at(-1);
        if (cmd === 'A') this.row = Math.max(0, this.row - n);
        else if (cmd === 'B') this.row += n;
        else if (cmd === 'K') this.lines[this.row] = '';
        else if (cmd === 'J') this.lines.length = this.row + 1;
        // 'm' (colour) changes nothing on the grid.
      } else {
        while (this.lines.length <= this.row) this.lines.push('');
        const line = this.lines[this.row]!.padEnd(this.col);
        this.lines[this.row] = line.slice(0, this.col) + t + line.slice(this.col + 1);
        this.col++;
        this.touched.add(this.row);
      }
      while (this.lines.length <= this.row) this.lines.push('');
    }
  }

  screen(): string {
    return this.lines
      .map((l) => l.trimEnd())
      .join('\n')
      .replace(/\n+$/, '');
  }
}

function curves(epochs: number): LineSeries[] {
  const t = sampleTraining(2, 40);
  return [
    { name: 'loss', x: t.epoch.subarray(0, epochs), y: t.loss.subarray(0, epochs) },
    { name: 'val_loss', x: t.epoch.subarray(0, epochs), y: t.valLoss.subarray(0, epochs) },
  ];
}

describe('LiveChart', () => {
  const options = { title: 'Training', xAxis: { label: 'epoch', min: 1, max: 40 }, yAxis: { label: 'loss', min: 0, max: 2.5 } };

  it('replays to exactly the full frame after every epoch', () => {
    for (const colors of [0, 256] as const) {
      const caps = { width: 70, height: 18, colors, unicode: true };
      const chart = new LiveChart(caps, options);
      const term = new VirtualTerminal();
      for (let epoch = 1; epoch <= 40; epoch++) {
        term.write(chart.update(curves(epoch)));
        const full = stripAnsi(renderLineChart(curves(epoch), caps, { ...options, showLast: true }));
        expect(term.screen()).toBe(full.replace(/ +$/gm, ''));
        expect(chart.frame()).toBe(renderLineChart(curves(epoch), caps, { ...options, showLast: true }));
      }
    }
  });

  it('rewrites only the lines that changed', () => {
    const caps = { width: 70, height: 18, colors: 0 as const, unicode: true };
    const chart = new LiveChart(caps, options);
    const term = new VirtualTerminal();
    term.write(chart.update(curves(20)));
    const before = chart.frame().split('\n');
    term.touched.clear();
    term.write(chart.update(curves(21)));
    const after = chart.frame().split('\n');
    const changed = after.map((l, i) => (l !== before[i] ? i : -1)).filter((i) => i >= 0);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThan(after.length / 2);
    expect([...term.touched].sort((a, b) => a - b)).toEqual(changed);
    // Same data again: nothing to send.
    expect(chart.update(curves(21))).toBe('');
  });

  it('redraws everything when the frame changes height', () => {
    const caps = { width: 60, height: 16, colors: 0 as const, unicode: false };
    const chart = new LiveChart(caps, { title: 'Training' });
    const term = new VirtualTerminal();
    term.write(chart.update([{ name: 'loss', y: [] }]));
    term.write(chart.update(curves(5)));
    expect(term.screen()).toBe(chart.frame().replace(/ +$/gm, ''));
  });
});
