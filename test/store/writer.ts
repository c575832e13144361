// Child process for the crash and concurrency tests: records attempts in a loop and prints each one after it is committed.
//
// Usage: [EDS_TEST_PAUSE_MS=N] vite-node writer.ts HOME USER COUNT QUESTIONS [wait]
// Prints "ready <journalMode>" once open; with "wait", then waits for a line on stdin (so two
// writers start together); then prints "<id> <question> <attemptNumber>" per attempt,
// only after recordAttempt has returned (stdout to a pipe is synchronous on Linux, so a line
// printed is a line the parent sees even if we are killed right after).
import { openStore } from '../../src/store/index.js';

const [home, user, countArg, questionsArg, wait] = process.argv.slice(2);
const count = Number(countArg);
const questions = Number(questionsArg);
const pauseMs = Number(process.env.EDS_TEST_PAUSE_MS ?? 0);
const store = openStore({ home, user });
process.stdout.write(`ready ${store.journalMode}\n`);
if (wait === 'wait') {
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.destroy();
}
for (let i = 0; i < count; i++) {
  const question = `q${i % questions}`;
  const a = store.recordAttempt({
    lesson: 'crash',
    question,
    answer: `answer ${process.pid} ${i}`,
    correct: i % 3 === 0 ? null : i % 2 === 0,
    secondsSpent: i / 10,
    seed: process.pid,
  });
  process.stdout.write(`${a.id} ${a.question} ${a.attemptNumber}\n`);
  // A pause between answers, as a student makes: the rollback journal has no fair queue, so a
  // writer that never lets go can hold the lock until the other one's busy timeout.
  if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
}
store.close();
