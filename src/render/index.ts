// The terminal graphics kit: pure renderers (data + size + capabilities in, string out) and their shared helpers.
export type { RenderCaps, ColorDepth } from './caps.js';
export { detectCaps } from './caps.js';
export type { AxisOptions } from './axes.js';
export { renderLineChart, LiveChart, type LineSeries, type LineChartOptions } from './line.js';
export { renderScatter, type ScatterGroup, type ScatterCurve, type ScatterOptions } from './scatter.js';
export { renderHistogram, type HistogramOptions } from './histogram.js';
export { renderSummaryTable, boxPlotLine, type SummaryVariable, type SummaryTableOptions } from './summary.js';
export { renderHeatmap, type HeatmapData, type HeatmapOptions } from './heatmap.js';
export { renderConfusionMatrix, type ConfusionOptions } from './confusion.js';
export { renderImage, renderImageStrip, type GrayImage, type LabelledImage, type ImageOptions } from './image.js';
export { renderPointCloud, binPoints, type PointCloud, type PointCloudOptions } from './pointcloud.js';
export { renderWaveform, type WaveformTrace, type PhasePick, type ProbabilityTrace, type WaveformOptions } from './waveform.js';
export { renderBarChart, type BarItem, type BarChartOptions } from './bar.js';
export { renderTernary, type TernaryGroup, type TernaryOptions } from './ternary.js';
export { displayWidth, stripAnsi, truncate, padEnd, padStart } from './text.js';
export { formatNumber, formatPercent } from './format.js';
export { theme } from './theme.js';
