// A figure: a plot or table drawn on demand at the caller's size. Renderers, experiments, the tutor and the
// project all pass figures around, so the type lives here in the render layer, below all of them.
import type { RenderCaps } from './caps.js';

/** A plot or table an experiment produced, rendered on demand at the caller's size. */
export interface Figure {
  /** Short title shown above the figure, e.g. "Test set: predicted vs measured". */
  title: string;
  /** A map whose detail grows with the height: the lesson gives it the window's rows rather than the usual cap. */
  tall?: boolean;
  /** Draws the figure within `caps.width` × `caps.height`; pure, no I/O. */
  render(caps: RenderCaps): string;
}
