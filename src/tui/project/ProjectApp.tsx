// The root of `eds project` at a terminal: the project screen at the terminal's size, or a one-line refusal when the terminal is too small.
import type React from 'react';
import type { RenderCaps } from '../../render/caps.js';
import type { ProjectServices } from '../../project/services.js';
import { MIN_COLUMNS, MIN_ROWS } from '../App.js';
import { SizedApp } from '../components/SizedApp.js';
import { ProjectScreen } from './ProjectScreen.js';

/** Props of {@link ProjectApp}. */
export interface ProjectAppProps {
  /** Services. */
  services: ProjectServices;
  /** Colour and Unicode support (size comes from the live terminal). */
  caps: Pick<RenderCaps, 'colors' | 'unicode'>;
  /** Fixed size for tests; otherwise the terminal's. */
  size?: { columns: number; rows: number };
}

export function ProjectApp({ services, caps, size }: ProjectAppProps): React.JSX.Element {
  // The training and the answers survive a terminal made too small and back.
  return (
    <SizedApp caps={caps} size={size} tooSmall={tooSmallMessage}>
      {(screen) => <ProjectScreen services={services} {...screen} />}
    </SizedApp>
  );
}

/** The refusal of a terminal too small to draw in, one line whatever its width (the training waits; q quits). */
export function tooSmallMessage(columns: number, rows: number): string {
  const long = `Terminal too small (${columns}x${rows}); eds project needs ${MIN_COLUMNS}x${MIN_ROWS}. Enlarge it, or q to quit.`;
  if (long.length <= columns) return long;
  const short = `Too small: need ${MIN_COLUMNS}x${MIN_ROWS}; q quits`;
  return short.length <= columns ? short : 'too small'.slice(0, Math.max(1, columns));
}
