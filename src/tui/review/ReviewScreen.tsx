// The review screen: a question and its model answer, the students' answers under it, a verdict per key press written to disk at once.
import type React from 'react';
import { useMemo, useRef, useState } from 'react';
import { Box, Text, useInput, type Key } from 'ink';
import type { RenderCaps } from '../../render/caps.js';
import type { Theme } from '../theme.js';
import type { ReviewServices } from './review-services.js';
import type { VerdictAction } from '../../course/review.js';
import { splitKeys } from '../keys.js';
import { Lines } from '../components/Lines.js';
import { toAscii } from '../../util/text.js';
import { truncate } from '../../render/text.js';
import { safeLine } from '../../util/safe-text.js';
import { REVIEW_BINDINGS, reviewCommandFor } from './bindings.js';
import { HELP_LINE, layoutReview, scrollFor } from './view.js';
import { initialState, judged, moveAnswer, moveGroup, selectedAnswer, togglePending, undoTarget, undone, verdictWord, type ReviewState } from './state.js';

/** Props of {@link ReviewScreen}. */
export interface ReviewScreenProps {
  /** Services. */
  services: ReviewServices;
  /** Terminal size (height already one row short) and capabilities. */
  caps: RenderCaps;
  /** Theme. */
  theme: Theme;
  /** Whether keys reach the screen (not while the terminal is too small). */
  active: boolean;
  /** Leave the screen. */
  onQuit(): void;
}

export function ReviewScreen({ services, caps, theme, active, onQuit }: ReviewScreenProps): React.JSX.Element {
  const { groups } = services;
  const ascii = !caps.unicode;
  // Read and written at the keypress: keys typed faster than frames are drawn (over SSH) each see the last one's state.
  const stateRef = useRef<ReviewState | null>(null);
  if (stateRef.current === null) stateRef.current = initialState(groups, services.pendingOnly);
  const [state, setState] = useState(stateRef.current);
  const [notice, setNotice] = useState<string | null>(
    services.problems ? `${services.problems} damaged or ignored lines in the course directory: listed when you quit` : null,
  );
  const [help, setHelp] = useState(false);
  const helpRef = useRef(false);
  const view = useMemo(() => layoutReview(groups, state, caps, theme.symbols), [groups, state, caps, theme.symbols]);
  const viewRef = useRef(view);
  viewRef.current = view;

  const commit = (next: ReviewState) => {
    const v = layoutReview(groups, next, caps, theme.symbols);
    const scrolled = { ...next, scroll: scrollFor(v, next.selected, next.scroll) };
    stateRef.current = scrolled;
    viewRef.current = v;
    setState(scrolled);
  };

  const write = (key: string, verdict: VerdictAction, note: string | null) => {
    try {
      return { ok: true as const, now: services.record(key, verdict, note) };
    } catch (err) {
      setNotice(`not saved: ${safeLine(err instanceof Error ? err.message : String(err), 200)}`);
      return { ok: false as const };
    }
  };

  function handleKey(input: string, key: Key): void {
    const command = reviewCommandFor(input, key);
    if (helpRef.current) {
      if (command === 'help' || command === 'quit' || key.escape) {
        helpRef.current = false;
        setHelp(false);
        if (command === 'quit' && key.ctrl) onQuit();
      }
      return;
    }
    const v = viewRef.current;
    // The scroll as drawn (a resize may have moved it).
    const s = { ...stateRef.current!, scroll: scrollFor(v, stateRef.current!.selected, stateRef.current!.scroll) };
    const block = v.blocks.find((b) => b.key === s.selected);
    const below = block ? block.end - 1 - (s.scroll + v.bodyHeight) : 0;
    const above = block ? s.scroll - block.start : 0;
    switch (command) {
      case null:
        return;
      case 'quit':
        return onQuit();
      case 'help':
        helpRef.current = true;
        return setHelp(true);
      case 'down':
        // A long answer scrolls before the cursor leaves it.
        return below > 0 ? commit({ ...s, scroll: s.scroll + 1 }) : commit(moveAnswer(groups, s, 1));
      case 'up':
        return above > 0 ? commit({ ...s, scroll: s.scroll - 1 }) : commit(moveAnswer(groups, s, -1));
      case 'pageDown':
        return below > 0 ? commit({ ...s, scroll: s.scroll + Math.min(below, Math.max(1, v.bodyHeight - 1)) }) : commit(moveAnswer(groups, s, 1));
      case 'pageUp':
        return above > 0 ? commit({ ...s, scroll: s.scroll - Math.min(above, Math.max(1, v.bodyHeight - 1)) }) : commit(moveAnswer(groups, s, -1));
      case 'nextQuestion':
        setNotice(null);
        return commit(moveGroup(groups, s, 1));
      case 'prevQuestion':
        setNotice(null);
        return commit(moveGroup(groups, s, -1));
      case 'pending': {
        const next = togglePending(groups, s);
        setNotice(next.pendingOnly ? 'only the answers pending now (judged ones stay until you press / again)' : 'all answers');
        return commit(next);
      }
      case 'accept':
      case 'refuse': {
        const a = selectedAnswer(groups, s);
        if (!a) return;
        const verdict = command === 'accept' ? 'accept' : 'refuse';
        const r = write(a.key, verdict, null);
        if (!r.ok) return;
        setNotice(`${a.student} #${a.attempt}: ${verdictWord(verdict)} (saved)`);
        return commit(judged(groups, s, a.key, r.now, true));
      }
      case 'undo': {
        const a = selectedAnswer(groups, s);
        if (!a) return;
        const target = undoTarget(s, a.key);
        if (!target) return setNotice(`${a.student} #${a.attempt}: no verdict to undo`);
        const r = target.restore ? write(a.key, target.restore.verdict, target.restore.note) : write(a.key, 'clear', null);
        if (!r.ok) return;
        setNotice(`${a.student} #${a.attempt}: ${r.now ? `back to ${verdictWord(r.now.verdict)}` : 'verdict cleared: pending'} (saved)`);
        return commit(undone(s, a.key, r.now));
      }
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  }

  useInput(
    (rawInput, rawKey) => {
      for (const [input, key] of splitKeys(rawInput, rawKey)) handleKey(input, key);
    },
    { isActive: active },
  );

  const fix = (s: string) => truncate(ascii ? toAscii(s) : s, caps.width);
  if (help) {
    return (
      <Box flexDirection="column" width={caps.width}>
        <Text bold color={theme.accent}>
          Keys
        </Text>
        {REVIEW_BINDINGS.map((b) => (
          <Text key={b.command} wrap="truncate">
            <Text bold>{fix(b.label).padEnd(14)}</Text>
            {fix(b.description)}
          </Text>
        ))}
        <Text> </Text>
        <Text wrap="truncate" color={theme.muted}>
          {fix(`Verdicts go to ${services.dir}/reviews/${services.login}.jsonl as you give them. ? to go back.`)}
        </Text>
      </Box>
    );
  }
  // Recomputed for the size drawn at: a resize keeps the selected answer in view.
  const top = scrollFor(view, state.selected, state.scroll);
  const visible = view.body.slice(top, top + view.bodyHeight);
  // The blank line after the last answer is not more to see.
  const more = top + view.bodyHeight < view.body.length - (view.body.at(-1) === '' ? 1 : 0);
  return (
    <Box flexDirection="column" width={caps.width}>
      <Text bold inverse={theme.inverse} wrap="truncate">
        {fix(view.header.padEnd(caps.width))}
      </Text>
      <Lines lines={view.top} theme={theme} ascii={ascii} />
      <Box flexDirection="column" height={view.bodyHeight}>
        <Lines lines={visible} theme={theme} ascii={ascii} />
      </Box>
      <Text wrap="truncate" color={theme.warning}>
        {fix(notice ?? (more ? `${theme.symbols.rule.repeat(3)} more below (↓) ${theme.symbols.rule.repeat(3)}` : ' '))}
      </Text>
      <Text wrap="truncate" color={theme.muted}>
        {fix(HELP_LINE)}
      </Text>
    </Box>
  );
}
