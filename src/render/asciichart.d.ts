// Types for the `asciichart` package (it ships none): only the part the line chart uses.
declare module 'asciichart' {
  /** Options of `plot`. */
  export interface PlotConfig {
    /** Lower bound of the y range (the data's minimum is still used if lower). */
    min?: number;
    /** Upper bound of the y range. */
    max?: number;
    /** Rows minus one. */
    height?: number;
    /** Columns reserved for the axis, left of the data. */
    offset?: number;
    /** Left padding of labels. */
    padding?: string;
    /** Escape sequences per series. */
    colors?: string[];
    /** Axis and line glyphs: [origin, tick, -, -, horizontal, ╰, ╭, ╮, ╯, vertical]. */
    symbols?: readonly string[];
    /** Label of a y value. */
    format?: (value: number, index: number) => string;
  }
  const asciichart: {
    /** Draws one or several series, one column per sample, as rows joined by newlines. */
    plot(series: number[] | number[][], config?: PlotConfig): string;
  };
  export default asciichart;
}
