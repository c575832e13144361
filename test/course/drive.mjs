// Answers questions as a student through the services the TUI uses (run under runuser by users.test.ts).
// argv: <package root> <JSON: [[lesson, question, answer, correct, seconds], …]> [<JSON: [[lesson, step], …]>] [<JSON: [train result, …]>]
const [root, answersJson, stepsJson, trainJson] = process.argv.slice(2);
const { openServices, logLeaderboard } = await import(`${root}/dist/tutor/open-services.js`);
const { store, warnings } = await openServices();
for (const [lesson, question, answer, correct, seconds] of JSON.parse(answersJson)) {
  store.recordAttempt({ lesson, question, answer, correct, secondsSpent: seconds, seed: null });
}
for (const [lesson, step] of JSON.parse(stepsJson ?? '[]')) store.completeStep(lesson, step);
// Finished digits runs, kept and logged as the TUI does after a `train` step.
for (const result of JSON.parse(trainJson ?? '[]')) await logLeaderboard(store, result, 1);
// The warnings as the TUI would show them at the end of this session.
process.stdout.write(JSON.stringify([...warnings, ...store.warnings.filter((w) => !warnings.includes(w))]) + '\n');
store.close();
