// What a running experiment shows, as lines: a spinner that moves, one progress bar for the whole run, the loss and
// accuracy curves after each epoch, and the previous run's results marked stale until the new ones arrive.
// Pure: the lesson hook keeps a RunLive per run and redraws on a timer; the step view lays these lines out.
import type { RenderCaps } from '../render/caps.js';
import { renderLineChart, type LineSeries } from '../render/line.js';
import type { Line, Segment } from '../render/styled-line.js';
import type { Symbols } from '../render/symbols.js';
import { safeLine } from '../util/safe-text.js';
import { displayWidth, toAscii, wrapText } from '../util/text.js';

/** One epoch's numbers, as the training loop reports them (any may be missing: the attention model has only a loss). */
export interface EpochLog {
  loss?: number;
  accuracy?: number;
  val_loss?: number;
  val_accuracy?: number;
}

/** A run in progress, as the screen shows it. */
export interface RunLive {
  /** Redraw ticks since the run started: each one shows the next spinner frame. */
  ticks: number;
  /** Time since the run started at the last tick (ms). */
  elapsedMs: number;
  /** The task's last status line ("training mlp (25,450 parameters) on WebAssembly…"), or ''. */
  status: string;
  /** Fraction of the whole run done, in [0, 1], or null while the task has reported none. */
  fraction: number | null;
  /** What the fraction counts ("epoch 2/5"). */
  label: string;
  /** Every epoch ended so far, in order. */
  epochs: EpochLog[];
  /** Epochs the run will train, when the task says (the curve's axis spans them from the start). */
  planned: number | null;
}

/** Time between two redraws of a running step (ms): the spinner's frame rate, and the most the progress is late by. */
export const RUN_TICK_MS = 200;

/** A run that has just started. */
export function startLive(): RunLive {
  return { ticks: 0, elapsedMs: 0, status: '', fraction: null, label: '', epochs: [], planned: null };
}

/** The next redraw: the spinner moves on one frame. */
export function liveTick(live: RunLive, elapsedMs: number): RunLive {
  return { ...live, ticks: live.ticks + 1, elapsedMs: Math.max(live.elapsedMs, elapsedMs) };
}

/** A new status line from the task. */
export function liveStatus(live: RunLive, status: string): RunLive {
  return { ...live, status };
}

/** Progress of the whole run: kept in [0, 1], and never drawn going back (a late report of an earlier batch). */
export function liveProgress(live: RunLive, fraction: number, label: string): RunLive {
  if (!Number.isFinite(fraction)) return live;
  const f = Math.min(1, Math.max(0, fraction));
  return { ...live, fraction: Math.max(live.fraction ?? 0, f), label };
}

/** An epoch ended with `logs` (epoch is 0-based; `planned` is the number of epochs, when known). */
export function liveEpoch(live: RunLive, epoch: number, logs: Record<string, number>, planned?: number): RunLive {
  const log: EpochLog = {};
  for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy'] as const) {
    const v = logs[key];
    if (typeof v === 'number' && Number.isFinite(v)) log[key] = v;
  }
  const epochs = live.epochs.slice(0, Math.max(0, epoch));
  while (epochs.length < epoch) epochs.push({});
  epochs.push(log);
  return { ...live, epochs, planned: planned !== undefined && planned > 0 ? planned : live.planned };
}

/** The spinner frame for this redraw. */
export function spinnerFrame(live: Pick<RunLive, 'ticks'>, sym: Symbols): string {
  const frames = sym.spinner.length > 0 ? sym.spinner : ['*'];
  return frames[((live.ticks % frames.length) + frames.length) % frames.length]!;
}

/** Elapsed time as m:ss. */
export function elapsedText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A bar of `width` cells with `fraction` of them full, and the percentage: one bar for the whole run. */
export function progressBar(fraction: number, width: number, sym: Symbols): string {
  const cells = Math.max(1, Math.floor(width));
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(cells * f);
  return `${sym.barFull.repeat(full)}${sym.barEmpty.repeat(cells - full)} ${Math.floor(100 * f)}%`;
}

/** Narrowest a curve is drawn (columns); two side by side need twice this and a gap. */
const MIN_CURVE_WIDTH = 36;
/** Rows a curve takes: its legend (with the last values), the plot and its epoch axis. */
const CURVE_ROWS = 9;

/**
 * The loss and accuracy curves so far, one chart each (training and held-out), side by side when the width allows,
 * else one above the other; every line at most `caps.width` columns. Empty before the first epoch ends.
 */
export function curveLines(epochs: readonly EpochLog[], planned: number | null, caps: RenderCaps): string[] {
  if (epochs.length === 0) return [];
  const x = epochs.map((_, i) => i + 1);
  const series = (key: keyof EpochLog): LineSeries | null => {
    if (!epochs.some((e) => e[key] !== undefined)) return null;
    return { name: key, x, y: epochs.map((e) => e[key] ?? NaN) };
  };
  const charts = [
    { label: 'loss', series: [series('loss'), series('val_loss')] },
    { label: 'accuracy', series: [series('accuracy'), series('val_accuracy')] },
  ]
    .map((c) => ({ label: c.label, series: c.series.filter((s): s is LineSeries => s !== null) }))
    .filter((c) => c.series.length > 0);
  if (charts.length === 0) return [];
  const sideBySide = charts.length === 2 && caps.width >= 2 * MIN_CURVE_WIDTH + 2;
  const width = sideBySide ? Math.floor((caps.width - 2) / 2) : caps.width;
  // The epoch axis spans the whole run from the first epoch: the curve grows to the right as training goes.
  const last = Math.max(planned ?? 0, epochs.length, 2);
  const drawn = charts.map((c) =>
    renderLineChart(
      c.series,
      { ...caps, width, height: CURVE_ROWS },
      { xAxis: { label: 'epoch', min: 1, max: last }, yAxis: { label: c.label }, showLast: true },
    )
      .split('\n')
      .map((l) => fitWidth(l, width)),
  );
  if (!sideBySide) return drawn.flatMap((d, i) => (i > 0 ? ['', ...d] : d));
  // A legend that wraps makes one chart taller: the shorter is padded at the top, so both epoch axes share a row.
  const rows = Math.max(drawn[0]!.length, drawn[1]!.length);
  const [left, right] = drawn.map((d) => [...Array<string>(rows - d.length).fill(''), ...d]) as [string[], string[]];
  return Array.from({ length: rows }, (_, i) => {
    const l = left[i] ?? '';
    return `${l}${' '.repeat(Math.max(0, width - displayWidth(l)))}  ${right[i] ?? ''}`;
  });
}

/** A chart line never wider than asked (a renderer's promise; checked here, since a wider one would wrap the frame). */
function fitWidth(line: string, width: number): string {
  return displayWidth(line) <= width ? line : line.slice(0, width);
}

/** What the previous run showed, to mark stale while the new one runs. */
export interface StaleRun {
  /** Its options. */
  options: Record<string, string>;
  /** Its results, as the step lays them out (metric lines). */
  lines: readonly Line[];
}

/** Lines of a running step: spinner, status and time, the progress bar, the curves, and how many of them to keep in view. */
export interface RunBlock {
  lines: Line[];
  /** The first `keep` lines (spinner, bar, curves) should stay on screen together when they fit. */
  keep: number;
}

/**
 * Everything a running step shows, top to bottom: the spinner with the task's status and the time so far, one bar
 * for the whole run (when the task reports progress), the live curves after each epoch (training tasks), then the
 * previous run's results dimmed under a line that says they are stale.
 */
export function runLines(live: RunLive | null | undefined, caps: RenderCaps, sym: Symbols, stale: StaleRun | null = null, what = 'running…'): RunBlock {
  const run = live ?? startLive();
  const fix = (s: string) => (caps.unicode ? s : toAscii(s));
  const lines: Line[] = [];
  const status = run.status ? ` ${safeLine(run.status, 300)}` : '';
  // The time goes first: a long status wraps, and the time stays beside the spinner.
  const head = `${spinnerFrame(run, sym)} ${elapsedText(run.elapsedMs)} ${what}${status}`;
  lines.push(...wrapText(fix(head), caps.width).map((t): Segment[] => [{ text: t, role: 'accent' }]));
  if (run.fraction !== null) {
    const label = run.label ? `${fix(safeLine(run.label, 60))} ` : '';
    const room = caps.width - displayWidth(label) - 6;
    lines.push(room >= 5 ? `${label}${progressBar(run.fraction, Math.min(40, room), sym)}` : progressBar(run.fraction, Math.max(5, caps.width - 6), sym));
  }
  const curves = curveLines(run.epochs, run.planned, caps);
  if (curves.length > 0) lines.push('', ...curves);
  else if (run.planned !== null || run.label.startsWith('epoch')) lines.push([{ text: fix('The curves appear when the first epoch ends.'), role: 'muted' }]);
  const keep = lines.length;
  if (stale) lines.push('', ...staleLines(stale, caps));
  return { lines, keep };
}

/** The previous run's results under a line saying whose they are and that they are stale, all dimmed. */
export function staleLines(stale: StaleRun, caps: RenderCaps): Line[] {
  const options = Object.entries(stale.options)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const head = `(previous run${options ? `, options ${options}` : ''}) ${caps.unicode ? '—' : '-'} stale: the new results replace these when the run ends`;
  const dim = (l: Line): Line => (typeof l === 'string' ? [{ text: l, role: 'muted' }] : l.map((seg) => ({ ...seg, role: 'muted' as const })));
  return [
    ...wrapText(safeLine(caps.unicode ? head : toAscii(head), 2000), caps.width).map((t): Line => [{ text: t, role: 'muted', italic: true }]),
    ...stale.lines.map(dim),
  ];
}
