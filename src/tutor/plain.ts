// Plain-text views for pipes, scripts and terminals without raw mode: the course map and the progress report.
import type { LessonProblem } from '../lessons/types.js';
import type { CourseEntry } from './course.js';

/** The course map as plain text (what `eds` prints when it has no terminal). */
export function plainCourseMap(map: readonly CourseEntry[], problems: readonly LessonProblem[], resume: { lesson: string; step: number } | null): string {
  const lines: string[] = ['eds - Earth Data Science', ''];
  for (const entry of map) {
    const label = entry.session === 7 ? 'Project' : entry.session === 0 ? 'Start' : `Session ${entry.session}`;
    lines.push(`${label}: ${entry.theme}`);
    if (entry.lessons.length === 0) lines.push('    (not available yet)');
    for (const s of entry.lessons) lines.push(`    ${s.lesson.id.padEnd(16)} ${s.lesson.title.padEnd(36)} ${String(s.done).padStart(3)}/${s.total} ${s.state}`);
  }
  for (const p of problems) lines.push(`${p.file}:${p.line}: ${p.message}`);
  lines.push('');
  lines.push(resume ? `Next: eds start ${resume.lesson} (step ${resume.step + 1}) in a terminal.` : 'All lessons done.');
  return lines.join('\n') + '\n';
}
