// Predictions an older eds logged with correct = NULL are read as the screen showed them, in eds progress too.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { legacyPredictionCorrect } from '../../src/lessons/legacy.js';
import type { Lesson, QuestionStep } from '../../src/lessons/types.js';
import { openStore, type Store } from '../../src/store/index.js';
import { formatProgress, progressReport } from '../../src/tutor/progress.js';

function predict(id: string, extra: Partial<QuestionStep>): QuestionStep {
  return {
    kind: 'question',
    id,
    line: 1,
    type: 'predict',
    prompt: '?',
    options: [],
    patterns: [],
    wrong: [],
    hints: [],
    explain: '',
    attempts: 1,
    experiment: 'fit',
    ...extra,
  };
}
const choice = predict('grows', {
  options: [
    { text: 'It grows.', correct: true },
    { text: 'It stays the same.', correct: false },
  ],
});
const numeric = predict('slope', { answer: { kind: 'result', step: 'fit', key: 'exponent' }, tolerance: { kind: 'absolute', value: 0.25 } });

describe('legacyPredictionCorrect', () => {
  it('a choice prediction: the logged answer names the choice, the lesson knows if it is right', () => {
    expect(legacyPredictionCorrect(choice, 'It grows.')).toBe(true);
    expect(legacyPredictionCorrect(choice, 'It stays the same.')).toBe(false);
    expect(legacyPredictionCorrect(choice, 'something the lesson no longer has')).toBeNull();
  });
  it('a numeric prediction: graded against the saved results of its experiment, else not graded', () => {
    expect(legacyPredictionCorrect(numeric, '1', { exponent: 1.1 })).toBe(true);
    expect(legacyPredictionCorrect(numeric, '2', { exponent: 1.1 })).toBe(false);
    expect(legacyPredictionCorrect(numeric, '1')).toBeNull();
    expect(legacyPredictionCorrect(numeric, 'no idea', { exponent: 1.1 })).toBeNull();
  });
  it('only predictions are read so', () => {
    expect(legacyPredictionCorrect({ ...choice, type: 'single' }, 'It grows.')).toBeNull();
  });
});

describe('eds progress with predictions logged by an older eds', () => {
  let store: Store | null = null;
  afterEach(() => store?.close());

  it('counts a right prediction as right and a numeric one without results as not graded, never wrong', () => {
    store = openStore({ home: mkdtempSync(join(tmpdir(), 'eds-legacy-')), user: 'ana', env: { EDS_JOURNAL: 'wal' } });
    const lesson: Lesson = {
      id: 'old',
      session: 1,
      title: 'Old',
      summary: '',
      file: '/dev/null',
      steps: [choice, numeric, { kind: 'experiment', id: 'fit', line: 1, title: 'Fit', body: '', task: 'regression', defaults: {}, choices: {} }],
    };
    for (const [question, answer] of [
      ['grows', 'It grows.'],
      ['slope', '1'],
    ]) {
      store.recordAttempt({ lesson: 'old', question: question!, answer: answer!, correct: null, secondsSpent: 2, seed: 1 });
    }
    const before = progressReport('ana', [lesson], store.allProgress(), store.attempts());
    const records = Object.fromEntries(before.lessons[0]!.question_records.map((r) => [r.id, r]));
    expect(records.grows!.correct).toBe(true);
    expect(records.slope!.correct).toBeNull();
    expect(records.slope!.note).toBe('prediction, not graded');
    expect(before.lessons[0]!.questions_correct).toBe(1);
    expect(before.lessons[0]!.questions_not_graded).toBe(1);
    expect(formatProgress(before)).toContain('1 prediction not graded');
    // Once the experiment's results are saved, the numeric prediction is graded against them.
    store.saveStep('old', 'fit', 2, { options: {}, results: { exponent: 1.2 } });
    const after = progressReport('ana', [lesson], store.allProgress(), store.attempts());
    expect(after.lessons[0]!.questions_correct).toBe(2);
    expect(after.lessons[0]!.questions_not_graded).toBe(0);
  });
});
