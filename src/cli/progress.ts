// What `eds run` shows while an experiment works: status lines, a progress bar rewritten in place, a live training curve.
import type { ExperimentCallbacks } from '../experiments/types.js';

/** Callbacks for the command line, plus `done()` to leave the terminal tidy. */
export type CliCallbacks = ExperimentCallbacks & { done(): void };

/**
 * Status goes to stderr (stdout stays clean for JSON and pipes). In a terminal, the progress bar rewrites one line
 * and a training curve redraws only its changed lines; without one, only status lines are printed, once each.
 */
export async function cliCallbacks(options: { json: boolean; liveCurve: boolean }): Promise<CliCallbacks> {
  const err = process.stderr;
  const tty = Boolean(err.isTTY) && !options.json;
  let barShown = false;
  const clearBar = () => {
    if (barShown) err.write('\r\x1b[K');
    barShown = false;
  };
  const callbacks: CliCallbacks = {
    onStatus: options.json
      ? undefined
      : (message) => {
          clearBar();
          err.write(`${message}\n`);
        },
    onProgress: tty
      ? (fraction, label) => {
          const width = Math.max(10, Math.min(40, (err.columns || 80) - label.length - 10));
          const filled = Math.round(width * Math.min(1, Math.max(0, fraction)));
          err.write(`\r\x1b[K${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(fraction * 100)}%`);
          barShown = true;
        }
      : undefined,
    done: clearBar,
  };
  if (tty && options.liveCurve) {
    const { LiveChart } = await import('../render/line.js');
    const { detectCaps } = await import('../render/caps.js');
    const caps = detectCaps(process.env, err);
    const chart = new LiveChart(
      { ...caps, height: Math.min(14, Math.max(8, caps.height - 10)) },
      { title: 'Training loss per epoch', xAxis: { label: 'epoch' }, yAxis: { label: 'loss' } },
    );
    const loss: number[] = [];
    const valLoss: number[] = [];
    callbacks.onEpochEnd = (_epoch, logs) => {
      clearBar();
      loss.push(logs.loss ?? NaN);
      valLoss.push(logs.val_loss ?? NaN);
      const epochs = loss.map((_, i) => i + 1);
      err.write(
        chart.update([
          { name: 'train', x: epochs, y: loss },
          { name: 'test', x: epochs, y: valLoss },
        ]),
      );
    };
  }
  return callbacks;
}
