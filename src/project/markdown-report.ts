// `eds project --report`: the same content as the notebook as one Markdown file, for a grader without Jupyter.
import type { ProjectData } from './data.js';
import type { Overview } from './overview.js';
import { foldsLabel, MODEL_TITLES, type Comparison } from './compare.js';
import { FILE_CAPS, projectFigures } from './figures.js';
import type { ExportContext } from './notebook.js';
import { answerOrPlaceholder, INTERPRETATION_PROMPTS } from './prompts.js';

/** Builds the Markdown report. Pure. */
export function buildReport(data: ProjectData, ov: Overview, cmp: Comparison, ctx: ExportContext): string {
  const out: string[] = [
    `# Project: predicting \`${data.target}\` in \`${data.source}\``,
    '',
    `Student: **${ctx.user}** · ${ctx.time} · eds ${ctx.version} · seed ${cmp.seed} · ${foldsLabel(cmp)}`,
    '',
    '## Interpretation',
    '',
  ];
  for (const prompt of INTERPRETATION_PROMPTS) {
    const answer = ctx.answers.find((a) => a.id === prompt.id);
    out.push(`### ${prompt.question}`, '', answerOrPlaceholder(answer), '');
  }
  out.push('## Results', '', `Best model by mean balanced accuracy: **${MODEL_TITLES[cmp.ranking[0]!]}**.`, '');
  for (const figure of projectFigures(data, ov, cmp)) {
    // A fence longer than any backtick run in the figure, so a figure can never close it early.
    const longest = Math.max(2, ...(figure.render(FILE_CAPS).match(/`+/g) ?? []).map((m) => m.length));
    const fence = '`'.repeat(longest + 1);
    out.push(`### ${figure.title}`, '', fence, figure.render(FILE_CAPS), fence, '');
  }
  out.push(
    '## Reproducibility',
    '',
    `The test rows of each fold are written in the notebook exported with \`--export\`, which reruns the comparison with scikit-learn on the same ${data.X.length} rows.`,
    '',
  );
  return out.join('\n');
}
