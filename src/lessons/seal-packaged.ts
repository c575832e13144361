// `npm run build`'s last step: checks the packaged lessons in full and seals those that pass (see sealed.ts).
import { readFileSync } from 'node:fs';
import { checkLessons, formatProblem, LESSONS_DIR } from './load.js';
import { writeSeal } from './sealed.js';

const check = checkLessons(LESSONS_DIR);
writeSeal(check.lessons.map((lesson) => ({ text: readFileSync(lesson.file, 'utf8'), lesson })));
// A packaged lesson with a problem is not sealed, so the tutor checks it (and leaves it out) at every start; say so here.
for (const p of check.problems) process.stderr.write(`${formatProblem(p)}\n`);
