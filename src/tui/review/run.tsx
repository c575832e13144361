// Starts the `eds instructor review` screen on a real terminal and resolves when the instructor quits.
import { render } from 'ink';
import { ReviewApp } from './ReviewApp.js';
import type { ReviewServices } from './review-services.js';
import { detectCaps } from '../../render/caps.js';
import { guardTerminalInput } from '../terminal-input.js';

/** Opens the review screen; resolves when it exits. Call `prepareTui()` before importing this module. */
export async function runReviewTui(services: ReviewServices): Promise<void> {
  const caps = detectCaps();
  guardTerminalInput(process.stdin);
  const instance = render(<ReviewApp services={services} caps={{ colors: caps.colors, unicode: caps.unicode }} />, {
    exitOnCtrlC: false,
    patchConsole: false,
    // As the tutor: few whole frames, for slow links and tmux.
    maxFps: 12,
  });
  await instance.waitUntilExit();
}
