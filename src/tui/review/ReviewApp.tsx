// The root of `eds instructor review` at a terminal: the review screen at the terminal's size, or a one-line refusal when it is too small.
import type React from 'react';
import type { RenderCaps } from '../../render/caps.js';
import type { ReviewServices } from './review-services.js';
import { MIN_COLUMNS, MIN_ROWS } from '../App.js';
import { SizedApp } from '../components/SizedApp.js';
import { ReviewScreen } from './ReviewScreen.js';

/** Props of {@link ReviewApp}. */
export interface ReviewAppProps {
  /** Services. */
  services: ReviewServices;
  /** Colour and Unicode support (size comes from the live terminal). */
  caps: Pick<RenderCaps, 'colors' | 'unicode'>;
  /** Fixed size for tests; otherwise the terminal's. */
  size?: { columns: number; rows: number };
}

export function ReviewApp({ services, caps, size }: ReviewAppProps): React.JSX.Element {
  // The cursor and the undo history survive a terminal made too small and back.
  return (
    <SizedApp caps={caps} size={size} tooSmall={tooSmallMessage}>
      {(screen) => <ReviewScreen services={services} {...screen} />}
    </SizedApp>
  );
}

/** The refusal of a terminal too small to draw in, one line whatever its width (q quits). */
function tooSmallMessage(columns: number, rows: number): string {
  const long = `Terminal too small (${columns}x${rows}); the review needs ${MIN_COLUMNS}x${MIN_ROWS}. Enlarge it, or q to quit.`;
  return long.length <= columns ? long : `need ${MIN_COLUMNS}x${MIN_ROWS}; q quits`.slice(0, Math.max(1, columns));
}
