// `eds project` exports: where the notebook and the report go, and writing them (atomically) with the line that says what each file is.
import { basename, extname } from 'node:path';
import { writeFileAtomic } from '../data/write.js';
import type { ExportContext } from './notebook.js';
import { exportTexts, type ProjectRun } from './run.js';

/** The files an export writes; a missing one is not written. */
export interface ExportTargets {
  /** Jupyter notebook path (.ipynb). */
  notebook?: string;
  /** Markdown report path (.md). */
  report?: string;
}

/**
 * The export files for a run on `dataFile`: the ones named by --export/--report; with neither named, both, as
 * `<stem>-project.ipynb` and `<stem>-project.md` in the working directory (they are what the project hands in).
 */
export function exportTargets(dataFile: string, exportFile?: string, reportFile?: string): ExportTargets {
  const stem = basename(dataFile, extname(dataFile));
  return {
    notebook: exportFile ?? (reportFile === undefined ? `${stem}-project.ipynb` : undefined),
    report: reportFile ?? (exportFile === undefined ? `${stem}-project.md` : undefined),
  };
}

/** The line printed after writing a notebook. */
export function notebookWritten(path: string): string {
  return `wrote ${path} (Jupyter notebook: your text, the results, scikit-learn code on the same folds)`;
}

/** The line printed after writing a report. */
export function reportWritten(path: string): string {
  return `wrote ${path} (Markdown report)`;
}

/** Writes the notebook, then the report; calls `onWritten` with each file's line as soon as that file is in place. */
export async function writeExports(
  run: ProjectRun,
  targets: ExportTargets,
  ctx: ExportContext,
  onWritten: (line: string, kind: 'notebook' | 'report') => void,
): Promise<void> {
  const texts = exportTexts(run, ctx);
  if (targets.notebook) {
    await writeFileAtomic(targets.notebook, texts.notebook);
    onWritten(notebookWritten(targets.notebook), 'notebook');
  }
  if (targets.report) {
    await writeFileAtomic(targets.report, texts.report);
    onWritten(reportWritten(targets.report), 'report');
  }
}
