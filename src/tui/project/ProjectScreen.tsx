// The project screen: section tabs, the page's scrollable body, a notice, key hints and the status line; ? shows its keys.
import type React from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, useInput, type Key } from 'ink';
import type { RenderCaps } from '../../render/caps.js';
import type { Theme } from '../theme.js';
import type { ProjectServices } from '../../project/services.js';
import { commandFor, splitKeys } from '../keys.js';
import { useProject } from './use-project.js';
import { currentPage, PROJECT_PAGES } from '../../project/sections.js';
import { pageJump, projectHeader, viewPage, type PageView } from '../../project/section-view.js';
import { Lines } from '../components/Lines.js';
import { StatusLine } from '../components/StatusLine.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { PROJECT_BINDINGS } from './bindings.js';
import { toAscii } from '../../util/text.js';
import { truncate } from '../../render/text.js';

/** Props of {@link ProjectScreen}. */
export interface ProjectScreenProps {
  /** Services. */
  services: ProjectServices;
  /** Terminal size (height already one row short of the terminal) and capabilities. */
  caps: RenderCaps;
  /** Theme. */
  theme: Theme;
  /** Whether keys reach the screen (not while the terminal is too small to show it). */
  active: boolean;
  /** Quit eds. */
  onQuit(): void;
}

export function ProjectScreen(props: ProjectScreenProps): React.JSX.Element {
  const { services, caps, theme } = props;
  const session = useProject(services);
  const { ui, progress, exportState } = session;
  const ascii = !caps.unicode;
  const page = currentPage(ui);
  const bodyWidth = Math.max(10, caps.width - 2);
  // Header 1 + notice 1 + hints 1 + status 1.
  const bodyHeight = Math.max(1, caps.height - 4);
  // biome-ignore lint/correctness/useExhaustiveDependencies: caps is a new object each render: its colour depth and charset (with the body's size) are what the layout depends on
  const bodyCaps = useMemo(() => ({ ...caps, width: bodyWidth, height: bodyHeight }), [caps.colors, caps.unicode, bodyWidth, bodyHeight]);
  // Pages of figures are laid out once per size and comparison state: going back to the overview is instant.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the cache is emptied whenever the size or the comparison changes: those are its keys, not its inputs
  const figurePages = useMemo(() => new Map<number, PageView>(), [bodyCaps, progress]);
  const view = useMemo(() => {
    const cached = figurePages.get(ui.page);
    if (cached) return cached;
    const input = {
      data: services.data,
      overview: services.overview,
      progress,
      ui,
      targets: services.targets,
      folder: services.folder,
      exportState,
      split: session.split,
    };
    const laidOut = viewPage(page, input, bodyCaps, theme.symbols);
    if (page.kind === 'overview' || page.kind === 'comparison' || page.kind === 'figures') figurePages.set(ui.page, laidOut);
    return laidOut;
  }, [figurePages, page, ui, progress, exportState, services, bodyCaps, theme.symbols, session.split]);
  const [scroll, setScroll] = useState(0);
  // The help overlay, read at the keypress like the answers: "?q" typed in one go must close it, then quit.
  const helpRef = useRef(false);
  const [help, setHelp] = useState(false);
  const toggleHelp = () => {
    helpRef.current = !helpRef.current;
    setHelp(helpRef.current);
  };
  const maxScroll = Math.max(0, view.lines.length - bodyHeight);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new page starts at the top; setScroll is stable
  useEffect(() => setScroll(0), [ui.page]);
  useEffect(() => {
    // Keep the cursor of an answer in view.
    if (view.focus < 0) return;
    setScroll((s) => (view.focus < s ? view.focus : view.focus >= s + bodyHeight ? view.focus - bodyHeight + 1 : s));
  }, [view.focus, bodyHeight]);
  const top = Math.min(scroll, maxScroll);

  useInput(
    (rawInput, rawKey) => {
      for (const [input, key] of splitKeys(rawInput, rawKey)) handleKey(input, key);
    },
    { isActive: props.active },
  );

  const quit = () => {
    // An answer typed but not saved yet is saved, as the end of input saved it at the plain prompt.
    session.saveUnsaved();
    props.onQuit();
  };

  function handleKey(input: string, key: Key): void {
    if (helpRef.current) {
      if (input === '?' || key.escape || input === 'q') toggleHelp();
      else if (key.ctrl && input === 'c') quit();
      return;
    }
    // Read at the keypress: a key typed before the next frame must see the page the previous key left.
    const now = currentPage(session.now());
    const typing = now.kind === 'prompt';
    const command = commandFor(input, key, typing);
    if (command === null) {
      // t: shuffled folds or blocks of time (offered when the data has a date or time column).
      if (!typing && input === 't') return session.switchFolds();
      if (typing && (key.backspace || key.delete)) session.backspace();
      else if (typing && input && !key.ctrl && !key.meta) session.type(input);
      return;
    }
    const scrollTo = (n: number) => setScroll(Math.min(maxScroll, Math.max(0, n)));
    switch (command) {
      case 'quit':
        return quit();
      case 'help':
        return toggleHelp();
      case 'next':
      case 'right':
        return session.go(1);
      case 'prev':
      case 'left':
        return session.go(-1);
      case 'home':
        return typing ? undefined : session.goTo(0);
      case 'up':
        return scrollTo(top - 1);
      case 'down':
        return scrollTo(top + 1);
      case 'pageUp':
        return scrollTo(pageJump(view.anchors, top, bodyHeight, -1));
      case 'pageDown':
      case 'toggle':
        return scrollTo(pageJump(view.anchors, top, bodyHeight, 1));
      case 'run':
        return now.kind === 'export' ? session.exportFiles() : undefined;
      case 'confirm':
        if (typing) return session.enter();
        return now.kind === 'export' ? session.exportFiles() : session.go(1);
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  }

  // Cut here, after any ASCII spelling, so Ink never adds its own (Unicode) ellipsis.
  const fix = (s: string) => truncate(ascii ? toAscii(s) : s, caps.width);
  const more = maxScroll > 0 ? `${Math.round((100 * top) / maxScroll)}% ` : '';
  const visible = view.lines.slice(top, top + bodyHeight);
  const training = progress.phase === 'running' ? 'training…' : progress.phase === 'failed' ? 'comparison failed' : `best: ${progress.comparison.ranking[0]}`;
  // Drawn instead of the page, which stays mounted: the answers and the training survive a look at the keys.
  if (help) return <HelpOverlay theme={theme} ascii={ascii} width={caps.width} bindings={PROJECT_BINDINGS} />;
  return (
    <Box flexDirection="column" width={caps.width}>
      <Text bold inverse={theme.inverse} wrap="truncate">
        {fix(projectHeader(ui, caps.width, more))}
      </Text>
      <Box flexDirection="column" height={bodyHeight} paddingLeft={1}>
        <Lines lines={visible} theme={theme} ascii={ascii} />
      </Box>
      <Text wrap="truncate" color={theme.warning}>
        {fix(session.notice ?? (top < maxScroll ? `${theme.symbols.rule.repeat(3)} more below (↓/PgDn) ${theme.symbols.rule.repeat(3)}` : ' '))}
      </Text>
      <StatusLine
        fields={[
          services.user,
          `project ${services.data.source}`,
          `page ${ui.page + 1}/${PROJECT_PAGES.length}`,
          ...(services.data.time ? [session.split === 'time' ? 'folds: time blocks' : 'folds: shuffled'] : []),
          training,
        ]}
        hints={fix(view.hints)}
        width={caps.width}
        theme={theme}
        ascii={ascii}
      />
    </Box>
  );
}
