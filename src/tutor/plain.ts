// Plain-text views for pipes, scripts and terminals without raw mode: the course map and a lesson as this student runs it.
import type { Lesson, LessonProblem } from '../lessons/types.js';
import { plainLesson, type PlainLessonOptions } from '../lessons/markdown.js';
import { displayWidth } from '../util/text.js';
import { safeLine } from '../util/safe-text.js';
import type { CourseEntry } from './course-map.js';

/** `text` padded with spaces to `width` terminal columns (a wide or combined character counts as it is drawn). */
export function padColumns(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** The course map as plain text (what `eds` prints when it has no terminal); columns as wide as their longest cell. */
export function plainCourseMap(map: readonly CourseEntry[], problems: readonly LessonProblem[], resume: { lesson: string; step: number } | null): string {
  const lines: string[] = ['eds - Earth Data Science', ''];
  const all = map.flatMap((e) => e.lessons);
  const idWidth = Math.max(16, ...all.map((s) => displayWidth(safeLine(s.lesson.id, 40))));
  const titleWidth = Math.max(36, ...all.map((s) => displayWidth(safeLine(s.lesson.title, 60))));
  for (const entry of map) {
    const label = entry.session === 7 ? 'Project' : entry.session === 0 ? 'Start' : `Session ${entry.session}`;
    lines.push(`${label}: ${entry.theme}`);
    if (entry.lessons.length === 0) lines.push('    (not available yet)');
    for (const s of entry.lessons) {
      lines.push(
        `    ${padColumns(safeLine(s.lesson.id, 40), idWidth)} ${padColumns(safeLine(s.lesson.title, 60), titleWidth)} ${String(s.done).padStart(3)}/${s.total} ${s.state}`,
      );
    }
  }
  for (const p of problems) lines.push(`${p.file}:${p.line}: ${p.message}`);
  lines.push('');
  lines.push(resume ? `Next: eds start ${resume.lesson} (step ${resume.step + 1}) in a terminal.` : 'All lessons done.');
  return lines.join('\n') + '\n';
}

/**
 * The lesson as plain text for the student whose data is drawn with `seed` (what `eds start` prints without a
 * terminal): every `eds run` command carries `--seed N`, the seed the tutor runs and grades their experiments
 * with, so a command run by hand shows the numbers the questions are about.
 */
export function plainLessonFor(lesson: Lesson, width: number, seed: number, options: PlainLessonOptions = {}): string {
  const seeded: Lesson = {
    ...lesson,
    summary: `${lesson.summary} Your seed for this lesson is ${seed}: every \`eds run\` command below uses it (\`--seed ${seed}\`), so its numbers are the ones your answers are graded against.`,
    steps: lesson.steps.map((step) => (step.kind === 'experiment' ? { ...step, defaults: { ...step.defaults, seed: String(seed) } } : step)),
  };
  return plainLesson(seeded, width, options);
}
