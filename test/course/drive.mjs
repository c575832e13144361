// Answers questions as a student through the services the TUI uses (run under runuser by users.test.ts).
// argv: <package root> <JSON: [[lesson, question, answer, correct, seconds], …]> [<JSON: [[lesson, step], …]>]
const [root, answersJson, stepsJson] = process.argv.slice(2);
const { openServices } = await import(`${root}/dist/tutor/services.js`);
const { store, warnings } = openServices();
for (const [lesson, question, answer, correct, seconds] of JSON.parse(answersJson)) {
  store.recordAttempt({ lesson, question, answer, correct, secondsSpent: seconds, seed: null });
}
for (const [lesson, step] of JSON.parse(stepsJson ?? '[]')) store.completeStep(lesson, step);
// The warnings as the TUI would show them at the end of this session.
process.stdout.write(JSON.stringify([...warnings, ...store.warnings.filter((w) => !warnings.includes(w))]) + '\n');
store.close();
