// Where to zoom a seismogram so that its onset can be read: impulsive or emergent is a matter of seconds, which an
// 80-second trace squeezed into 37 columns (more than a second a column) cannot show.

/** Length of the onset zoom, s: an LP's 1–4 s rise spans several columns of a half-width panel, a VT's jump one. */
export const ONSET_ZOOM_S = 12;

/** Share of the zoom shown before the envelope first rises clearly, so the quiet before the onset is in view. */
const LEAD = 0.25;

/**
 * The samples [start, end) of a `seconds`-long window around an event's onset, found on its envelope: the last time
 * before the envelope's peak that it was under a tenth of the way from the background (its 20th percentile) to the
 * peak. The window is the same length for every event, so onsets compare across classes; it stays inside the trace.
 */
export function onsetWindow(envelope: ArrayLike<number>, fs: number, seconds = ONSET_ZOOM_S): [number, number] {
  const n = envelope.length;
  const len = Math.min(n, Math.max(2, Math.round(seconds * fs)));
  let peak = -1;
  const finite: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = envelope[i]!;
    if (!Number.isFinite(v)) continue;
    finite.push(v);
    if (peak < 0 || v > envelope[peak]!) peak = i;
  }
  if (peak < 0) return [0, len];
  finite.sort((a, b) => a - b);
  const background = finite[Math.floor(0.2 * (finite.length - 1))]!;
  const level = background + 0.1 * (envelope[peak]! - background);
  let k = peak;
  while (k > 0 && !(envelope[k - 1]! < level)) k--;
  const start = Math.max(0, Math.min(n - len, k - Math.round(LEAD * len)));
  return [start, start + len];
}
