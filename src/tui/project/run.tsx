// Starts the `eds project` screen on a real terminal, tuned for slow SSH links, and resolves when the student quits.
import { render } from 'ink';
import { ProjectApp } from './ProjectApp.js';
import type { ProjectServices } from '../../project/services.js';
import { detectCaps } from '../../render/caps.js';
import { guardTerminalInput } from '../terminal-input.js';

/** Opens the project screen; resolves when it exits. Call `prepareTui()` before importing this module. */
export async function runProjectTui(services: ProjectServices): Promise<void> {
  const caps = detectCaps();
  guardTerminalInput(process.stdin);
  const instance = render(<ProjectApp services={services} caps={{ colors: caps.colors, unicode: caps.unicode }} />, {
    exitOnCtrlC: false,
    patchConsole: false,
    // As the tutor (tui/run.tsx): few whole frames, for slow links and tmux.
    maxFps: 12,
  });
  await instance.waitUntilExit();
}
