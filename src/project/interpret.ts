// `eds project` step 3 in a terminal: asks the interpretation prompts and commits each answer to the student's store before the next one.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Store } from '../store/types.js';
import { INTERPRETATION_PROMPTS, PROJECT_LESSON, type InterpretationAnswer } from './prompts.js';

/**
 * Asks every prompt on `output`, reading lines from `input`; an empty line ends an answer, end of input ends
 * all. Each non-empty answer is logged as an attempt of the `project` pseudo-lesson (correct = null: it is
 * read by the instructor, not graded) as soon as it is complete, so a killed session loses nothing.
 */
export async function askInterpretation(input: Readable, output: Writable, store: Store, seed: number): Promise<InterpretationAnswer[]> {
  const rl = createInterface({ input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const answers: InterpretationAnswer[] = [];
  let ended = false;
  try {
    output.write('\nYour reading of the results: a few sentences each; an empty line ends an answer (Ctrl-D skips the rest).\n');
    for (const prompt of INTERPRETATION_PROMPTS) {
      if (ended) break;
      output.write(`\n${prompt.question}\n  (${prompt.guide})\n> `);
      const started = Date.now();
      const parts: string[] = [];
      for (;;) {
        const next = await lines.next();
        if (next.done) {
          ended = true;
          break;
        }
        const line = next.value.trim();
        if (line === '') break;
        parts.push(line);
        output.write('> ');
      }
      const text = parts.join('\n');
      if (text === '') continue;
      const seconds = (Date.now() - started) / 1000;
      store.recordAttempt({ lesson: PROJECT_LESSON, question: prompt.id, answer: text, correct: null, secondsSpent: seconds, seed });
      answers.push({ id: prompt.id, text, seconds });
    }
  } finally {
    rl.close();
  }
  return answers;
}
