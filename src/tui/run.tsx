// Starts the Ink TUI on a real terminal, tuned for slow SSH links, and resolves when the student quits.
import { render } from 'ink';
import { App, type Screen } from './App.js';
import type { TutorServices } from '../tutor/services.js';
import { detectCaps } from '../render/caps.js';
import { guardTerminalInput } from './terminal-input.js';

/** Opens the TUI at `initial`; resolves when it exits. */
export async function runTui(services: TutorServices, initial: Screen): Promise<void> {
  const caps = detectCaps();
  // Warnings that arise during the session are shown on screen, then printed again after it, where the scrollback keeps them.
  const taken: string[] = [];
  const take = services.takeWarnings?.bind(services);
  const takeAndKeep = (): string[] => {
    const fresh = take?.() ?? [];
    taken.push(...fresh);
    return fresh;
  };
  const tracked: TutorServices = take ? { ...services, takeWarnings: takeAndKeep } : services;
  guardTerminalInput(process.stdin);
  const instance = render(<App services={tracked} initial={initial} caps={{ colors: caps.colors, unicode: caps.unicode }} />, {
    exitOnCtrlC: false,
    patchConsole: false,
    // Few frames: a student on a slow SSH link should not pay for redraws. (Ink 6.8's incrementalRendering left
    // stale lines on screen in tmux when a step changed, so whole frames are written, and progress is throttled.)
    maxFps: 12,
  });
  await instance.waitUntilExit();
  takeAndKeep();
  for (const warning of taken) process.stderr.write(`eds: ${warning}\n`);
}
