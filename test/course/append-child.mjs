// One of the concurrent writers in records.test.ts: appends N long records (one line each) to a shared record file.
import { appendLines } from '../../dist/course/sink.js';
import { formatRecord } from '../../dist/course/record.js';

const [file, writer, count] = process.argv.slice(2);
const lines = [];
for (let i = 0; i < Number(count); i++) {
  // Long answers (about 3.5 KB): interleaving would show as broken lines.
  const answer = `writer ${writer} line ${i} `.padEnd(3500, String.fromCharCode(97 + (Number(writer) % 26)));
  lines.push(
    formatRecord({
      kind: 'attempt',
      user: 'ana',
      id: Number(writer) * 1000 + i,
      time: new Date().toISOString(),
      lesson: 'river',
      question: 'q',
      answer,
      correct: true,
      attempt: 1,
      seconds: 1,
      seed: null,
      version: 'test',
    }),
  );
}
appendLines(file, lines);
