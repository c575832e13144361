// Every plot of the kit on built-in sample data: what `eds demo plots` shows and what the golden tests pin.
import type { Figure } from './figure.js';
import { createRng } from '../util/rng.js';
import { renderBarChart } from './bar.js';
import { renderConfusionMatrix } from './confusion.js';
import { renderHeatmap } from './heatmap.js';
import { renderHistogram } from './histogram.js';
import { renderImage, renderImageStrip } from './image.js';
import { renderLineChart } from './line.js';
import { renderPointCloud } from './pointcloud.js';
import {
  sampleChirpSpectrogram,
  sampleConfusion,
  sampleDigit,
  sampleDuneTile,
  sampleEigenTriangle,
  sampleFeatureImportances,
  sampleRiver,
  sampleSeismogram,
  sampleTraining,
  sampleWaterLevel,
} from './samples.js';
import { renderScatter } from './scatter.js';
import { renderSummaryTable } from './summary.js';
import { renderTernary } from './ternary.js';
import { renderWaveform } from './waveform.js';

/** A demo figure with a short stable id (used for golden file names and `--only`). */
export interface DemoFigure extends Figure {
  /** Short name: "line", "scatter-loglog", … */
  id: string;
}

/** All demo figures; the sample data are generated once, lazily, and shared. */
export function demoFigures(): DemoFigure[] {
  const river = sampleRiver();
  const training = sampleTraining();
  const water = sampleWaterLevel();
  const confusion = sampleConfusion();
  const seismo = sampleSeismogram();
  const triangle = sampleEigenTriangle();
  let spectrogram: ReturnType<typeof sampleChirpSpectrogram> | undefined;
  let dune: ReturnType<typeof sampleDuneTile> | undefined;
  const rng = createRng(8);
  const digits = Array.from({ length: 10 }, (_, d) => sampleDigit(d, rng));
  const mistakes = [
    { image: sampleDigit(7, rng), label: '7', predicted: '1' },
    { image: sampleDigit(4, rng), label: '4', predicted: '9' },
    { image: sampleDigit(3, rng), label: '3', predicted: '5' },
    { image: sampleDigit(9, rng), label: '9', predicted: '4' },
    { image: sampleDigit(5, rng), label: '5', predicted: '6' },
    { image: sampleDigit(2, rng), label: '2', predicted: '7' },
  ];
  return [
    {
      id: 'training',
      title: 'Training curves',
      render: (caps) =>
        renderLineChart(
          [
            { name: 'loss', x: training.epoch, y: training.loss },
            { name: 'val_loss', x: training.epoch, y: training.valLoss },
          ],
          caps,
          { title: 'Training: loss per epoch', xAxis: { label: 'epoch' }, yAxis: { label: 'cross-entropy loss' }, showLast: true },
        ),
    },
    {
      id: 'timeseries',
      title: 'Sensor time series',
      render: (caps) =>
        renderLineChart([{ name: 'water level', x: water.time, y: water.level }], caps, {
          title: 'La Digue: water level, September 2019 (synthetic)',
          xAxis: { time: true },
          yAxis: { label: 'level', unit: 'm' },
        }),
    },
    {
      id: 'scatter-loglog',
      title: 'Power law in log-log',
      render: (caps) =>
        renderScatter([{ name: 'water samples', x: river.turbidity, y: river.ssc }], caps, {
          title: `SSC vs turbidity: log-log fit, slope ${river.fit.slope.toFixed(2)}`,
          xAxis: { label: 'turbidity', unit: 'NTU', log: true },
          yAxis: { label: 'suspended sediment', unit: 'mg/L', log: true },
          curves: [{ name: 'power-law fit', x: river.fit.x, y: river.fit.y }],
        }),
    },
    {
      id: 'scatter-classes',
      title: 'Two features by class',
      render: (caps) =>
        renderScatter(
          triangle.map((g) => ({ name: g.name, x: g.b, y: g.c })),
          caps,
          { title: 'Planarity vs sphericity by class', xAxis: { label: 'planar share λ2' }, yAxis: { label: 'volumetric share λ3' } },
        ),
    },
    {
      id: 'histogram',
      title: 'Histogram',
      render: (caps) =>
        renderHistogram(river.ssc, caps, { title: 'Suspended sediment: heavy-tailed, so log bins', axis: { label: 'SSC', unit: 'mg/L', log: true } }),
    },
    {
      id: 'summary',
      title: 'Summary table',
      render: (caps) =>
        renderSummaryTable(
          [
            { name: 'turbidity', unit: 'NTU', values: river.turbidity },
            { name: 'SSC', unit: 'mg/L', values: river.ssc },
            { name: 'water temp.', unit: '°C', values: river.temperature },
            { name: 'level', unit: 'm', values: water.level },
          ],
          caps,
          { title: 'River variables' },
        ),
    },
    {
      id: 'heatmap',
      title: 'Spectrogram',
      render: (caps) => {
        spectrogram ??= sampleChirpSpectrogram();
        return renderHeatmap({ values: spectrogram.values, origin: 'lower' }, caps, {
          title: 'Spectrogram of a 2-30 Hz chirp',
          xAxis: { label: 'time', unit: 's', min: 0, max: spectrogram.duration },
          yAxis: { label: 'frequency', unit: 'Hz', min: 0, max: spectrogram.nyquist },
          valueLabel: 'power (dB)',
          dynamicRange: 30,
        });
      },
    },
    {
      id: 'confusion',
      title: 'Confusion matrix',
      render: (caps) => renderConfusionMatrix(confusion.labels, confusion.matrix, caps, { title: 'Volcano events: random forest on the test set' }),
    },
    {
      id: 'image',
      title: 'A digit',
      render: (caps) => renderImage(digits[7]!, caps, { title: 'A handwritten 7 (28x28)' }),
    },
    {
      id: 'image-strip',
      title: 'Misclassified digits',
      render: (caps) => renderImageStrip(mistakes, caps, { title: 'Misclassified test digits (true→predicted)' }),
    },
    {
      id: 'pointcloud-top',
      title: 'Lidar tile from above',
      render: (caps) => {
        dune ??= sampleDuneTile();
        return renderPointCloud(dune, caps, {
          view: 'top',
          colorBy: 'label',
          labelNames: ['sand floor', 'vegetation'],
          title: 'Dune tile, plan view by class',
        });
      },
    },
    {
      id: 'pointcloud-side',
      title: 'Lidar tile from the side',
      render: (caps) => {
        dune ??= sampleDuneTile();
        return renderPointCloud(dune, caps, { view: 'side', colorBy: 'height', title: 'Dune tile, side profile by elevation' });
      },
    },
    {
      id: 'waveform',
      title: 'Seismogram with picks',
      render: (caps) =>
        renderWaveform({ samples: seismo.samples, sampleRate: seismo.sampleRate, name: 'HHZ', unit: 'counts' }, caps, {
          title: 'Seismogram, analyst picks and PhaseNet-style probabilities',
          picks: [
            { phase: 'P', time: seismo.pTime },
            { phase: 'S', time: seismo.sTime },
          ],
          probabilities: [
            { name: 'P', values: seismo.pProb },
            { name: 'S', values: seismo.sProb },
          ],
        }),
    },
    {
      id: 'bar',
      title: 'Feature importances',
      render: (caps) => renderBarChart(sampleFeatureImportances(), caps, { title: 'Random forest feature importances', sort: true }),
    },
    {
      id: 'ternary',
      title: 'Eigenvalue triangle',
      render: (caps) => renderTernary(triangle, caps, { title: 'Local dimensionality at 1 m', corners: ['1D linear', '2D planar', '3D volumetric'] }),
    },
  ];
}
