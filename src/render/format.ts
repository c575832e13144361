// Number, date and tick formatting shared by every renderer: short, aligned, never "0.30000000000000004".

/** A value for a table cell or label, with `sig` significant digits; large and tiny magnitudes go compact. */
export function formatNumber(value: number, sig = 3): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e5 || abs < 1e-3) {
    const suffixes: Array<[number, string]> = [
      [1e12, 'T'],
      [1e9, 'G'],
      [1e6, 'M'],
      [1e3, 'k'],
    ];
    for (const [scale, suffix] of suffixes) {
      if (abs >= scale && abs < scale * 1e3) return trimZeros((value / scale).toPrecision(sig)) + suffix;
    }
    return value
      .toExponential(Math.max(0, sig - 2))
      .replace(/\.?0+e/, 'e')
      .replace('e+', 'e');
  }
  if (abs >= 10 ** sig) return String(Math.round(value));
  return trimZeros(value.toPrecision(sig));
}

function trimZeros(text: string): string {
  return text.includes('.') && !text.includes('e') ? text.replace(/\.?0+$/, '') : text;
}

/** A percentage of a fraction (0.934 → "93%", 0.0042 → "0.4%"). */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '-';
  const p = fraction * 100;
  if (p !== 0 && Math.abs(p) < 1) return `${p.toFixed(1)}%`;
  return `${Math.round(p)}%`;
}

/** "Nice" step (1, 2 or 5 × 10^k) so that about `count` ticks span `range`. */
export function niceStep(range: number, count: number): number {
  if (!(range > 0) || !Number.isFinite(range)) return 1;
  const raw = range / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const residual = raw / magnitude;
  // Round to the nearest of 1, 2, 5, 10 on a log scale (the thresholds are their geometric means).
  const nice = residual >= Math.sqrt(50) ? 10 : residual >= Math.sqrt(10) ? 5 : residual >= Math.SQRT2 ? 2 : 1;
  return nice * magnitude;
}

/** Ticks at multiples of a nice step inside [min, max]; at most about `count` of them. */
export function linearTicks(min: number, max: number, count: number): number[] {
  if (!(max > min)) return [min];
  const step = niceStep(max - min, count);
  const first = Math.ceil(min / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= max + step * 1e-9 && ticks.length < 1000; v += step) {
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  return ticks;
}

/** Label of a tick, with as many decimals as the tick step needs (step 0.25 → "0.25", step 50 → "150"). */
export function formatTick(value: number, step: number): string {
  if (!Number.isFinite(value)) return formatNumber(value);
  // Rounding noise around zero ("-1e-17") is zero.
  if (step > 0 && Math.abs(value) < step * 1e-6) value = 0;
  const abs = Math.abs(value);
  if (abs >= 1e4 || (abs > 0 && abs < 1e-3)) return formatNumber(value, 3);
  const decimals = step > 0 ? Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9))) : 2;
  const text = value.toFixed(decimals);
  return text === '-0' ? '0' : text.replace(/^-0(\.0+)?$/, '0$1');
}

/** Ticks on a log10 axis: the decades, with 2 and 5 in between when there are few decades. */
export function logTicks(min: number, max: number, count: number): number[] {
  if (!(min > 0) || !(max > min)) return [min];
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const decades = hi - lo;
  const multipliers = decades <= count / 3 ? [1, 2, 5] : [1];
  const stride = Math.max(1, Math.ceil(decades / Math.max(1, count)));
  // With a stride over decades, try each phase and keep the one that puts the most ticks inside the range.
  let best: number[] = [];
  for (let phase = 0; phase < (multipliers.length > 1 ? 1 : stride); phase++) {
    const ticks: number[] = [];
    for (let e = lo + phase; e <= hi; e += multipliers.length > 1 ? 1 : stride) {
      for (const m of multipliers) {
        const v = m * 10 ** e;
        if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) ticks.push(v);
      }
    }
    if (ticks.length > best.length) best = ticks;
  }
  return best.length ? best : [min];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_STEPS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
];

/** Ticks on a time axis (epoch milliseconds, UTC) at calendar-friendly steps: minutes, hours, days, months, years. */
export function timeTicks(min: number, max: number, count: number): { ticks: number[]; step: number } {
  if (!(max > min)) return { ticks: [min], step: DAY };
  const raw = (max - min) / Math.max(1, count);
  const fixed = TIME_STEPS.find((s) => s >= raw);
  if (fixed !== undefined) {
    // Align on the step in UTC (days, hours…); weeks start on the epoch's Thursday, which is fine for a plot.
    const first = Math.ceil(min / fixed) * fixed;
    const ticks: number[] = [];
    for (let t = first; t <= max && ticks.length < 1000; t += fixed) ticks.push(t);
    return { ticks, step: fixed };
  }
  // Months and years: walk the calendar, since they have no fixed length.
  const monthSteps = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600];
  // A little slack, so ten years in five ticks gets 2-year steps rather than 5-year ones.
  const months = monthSteps.find((m) => m * 30.44 * DAY >= raw * 0.8) ?? 1200;
  const start = new Date(min);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth();
  month = Math.ceil(month / months) * months;
  if (months >= 12) {
    const years = months / 12;
    year = Math.ceil((year + (start.getUTCMonth() > 0 || start.getUTCDate() > 1 ? 1 : 0)) / years) * years;
    month = 0;
  }
  const ticks: number[] = [];
  for (let k = 0; k < 1000; k++) {
    const t = Date.UTC(year, month + k * months, 1);
    if (t < min) continue;
    if (t > max) break;
    ticks.push(t);
  }
  return { ticks, step: months * 30 * DAY };
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** Label of a time tick (UTC), as precise as the step needs: "2019", "2019-09", "09-26", "14:05", "14:05:30". */
export function formatTime(ms: number, step: number): string {
  if (!Number.isFinite(ms)) return formatNumber(ms);
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const mo = two(d.getUTCMonth() + 1);
  const day = two(d.getUTCDate());
  const hh = two(d.getUTCHours());
  const mm = two(d.getUTCMinutes());
  if (step >= 360 * DAY) return String(y);
  if (step >= 28 * DAY) return `${y}-${mo}`;
  if (step >= DAY) return `${mo}-${day}`;
  if (step >= MINUTE) return hh === '00' && mm === '00' ? `${mo}-${day}` : `${hh}:${mm}`;
  return `${hh}:${mm}:${two(d.getUTCSeconds())}`;
}

/** Full UTC date-time of a value, for the span shown under a time axis ("2019-09-26 14:05"). */
export function formatDateTime(ms: number): string {
  if (!Number.isFinite(ms)) return formatNumber(ms);
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}
