// The terminal's current size, updated on resize (SIGWINCH reaches Node as a 'resize' event on stdout).
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

/** Columns and rows, never below 1. */
export function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: Math.max(1, stdout.columns || 80), rows: Math.max(1, stdout.rows || 24) });
  const [size, setSize] = useState(read);
  // biome-ignore lint/correctness/useExhaustiveDependencies: subscribes once per stream; read is a fresh closure each render over the same stdout
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
