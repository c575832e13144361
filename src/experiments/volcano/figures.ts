// The volcano lesson's figures: an event as waveform, envelope and spectrogram, and the ± cells of its tables.
import type { RenderCaps } from '../../render/caps.js';
import type { Figure } from '../../render/figure.js';
import { renderHeatmap } from '../../render/heatmap.js';
import { renderLineChart } from '../../render/line.js';
import { padEnd } from '../../render/text.js';
import { renderWaveform } from '../../render/waveform.js';
import { smoothEnvelope } from '../../seismology/envelope.js';
import { detrend } from '../../seismology/filter.js';
import { spectrogram } from '../../seismology/spectrogram.js';
import { ONSET_ZOOM_S, onsetWindow } from '../event-view.js';

/** Joins two rendered blocks side by side, the left one padded to `leftWidth` columns. */
function sideBySide(left: string, right: string, leftWidth: number, gap: number): string {
  const a = left.split('\n');
  const b = right.split('\n');
  const n = Math.max(a.length, b.length);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(padEnd(a[i] ?? '', leftWidth) + ' '.repeat(gap) + (b[i] ?? ''));
  return out.join('\n');
}

/** One event at one station: waveform and its envelope on the left, spectrogram on the right (stacked when narrow). */
export function eventFigure(title: string, trace: Float32Array, fs: number): Figure {
  // Computed once per figure, drawn at whatever size the caller has.
  const y = detrend(trace);
  const env = smoothEnvelope(y, fs, 0.2);
  const t = Float64Array.from({ length: y.length }, (_, i) => i / fs);
  const spec = spectrogram(y, fs);
  const tEnd = (y.length - 1) / fs;
  // The waveform is drawn zoomed on the onset (same length for every event), so emergent looks emergent; the
  // envelope under it keeps the whole trace, with the zoomed stretch marked on it.
  const [z0, z1] = onsetWindow(env, fs);
  const drawFull = (caps: RenderCaps) => renderWaveform({ samples: y, sampleRate: fs, name: 'velocity', unit: 'nm/s' }, caps);
  const drawWave = (caps: RenderCaps) =>
    renderWaveform({ samples: y.subarray(z0, z1), sampleRate: fs, startTime: z0 / fs, name: 'velocity near onset', unit: 'nm/s' }, caps);
  const drawEnv = (caps: RenderCaps) =>
    renderLineChart([{ name: 'envelope', x: t, y: env }], caps, {
      xAxis: { label: 'time', unit: 's', min: 0, max: tEnd },
      yAxis: { label: 'envelope', unit: 'nm/s' },
      spans: [{ name: 'zoom', from: z0 / fs, to: (z1 - 1) / fs }],
    });
  const drawSpec = (caps: RenderCaps) =>
    renderHeatmap({ values: spec.power_db, origin: 'lower' }, caps, {
      xAxis: { label: 'time', unit: 's', min: spec.times_s[0]!, max: spec.times_s[spec.times_s.length - 1]! },
      yAxis: { label: 'frequency', unit: 'Hz', min: 0, max: fs / 2 },
      valueLabel: 'power (dB)',
      dynamicRange: 50,
    });
  return {
    // The bracket on the envelope is too narrow to name itself: the title says what it marks.
    title: `${title} (waveform: the ${ONSET_ZOOM_S} s around the onset, [bracketed] on the envelope)`,
    render(caps: RenderCaps): string {
      if (caps.width >= 72) {
        const gap = 2;
        const leftW = Math.floor((caps.width - gap) / 2);
        const rightW = caps.width - gap - leftW;
        // A tall window has room for the whole trace as well, above the zoom.
        const fullH = caps.height >= 30 ? Math.floor(caps.height * 0.3) : 0;
        const waveH = Math.max(5, Math.ceil((caps.height - fullH) * 0.55));
        const envH = Math.max(4, caps.height - fullH - waveH);
        const panels = [
          ...(fullH ? [drawFull({ ...caps, width: leftW, height: fullH })] : []),
          drawWave({ ...caps, width: leftW, height: waveH }),
          drawEnv({ ...caps, width: leftW, height: envH }),
        ];
        return sideBySide(panels.join('\n'), drawSpec({ ...caps, width: rightW, height: fullH + waveH + envH }), leftW, gap);
      }
      const waveH = Math.max(5, Math.floor(caps.height * 0.4));
      const envH = Math.max(4, Math.floor(caps.height * 0.25));
      const specH = Math.max(5, caps.height - waveH - envH);
      return [drawWave({ ...caps, height: waveH }), drawEnv({ ...caps, height: envH }), drawSpec({ ...caps, height: specH })].join('\n');
    },
  };
}

/** A cross-validated score as mean ± std. */
export const cvCell = (s: { mean: number; std: number }) => `${s.mean.toFixed(3)} ± ${s.std.toFixed(3)}`;

/** The figure with `±` spelt `+/-` where the terminal cannot show Unicode (the shared table figures write cells as given). */
export function plainPlusMinus(figure: Figure): Figure {
  return { title: figure.title, render: (caps) => (caps.unicode ? figure.render(caps) : figure.render(caps).replace(/±/g, '+/-')) };
}
