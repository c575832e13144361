// `eds project` step 3: the questions a student answers in their own words; stored as attempts of the `project` pseudo-lesson and written into the exports.

/** The pseudo-lesson id under which interpretation answers are logged (instructors filter on it). */
export const PROJECT_LESSON = 'project';

/** One interpretation prompt. */
export interface InterpretationPrompt {
  /** Question id in the attempt log (`project/<id>`). */
  id: string;
  /** The question as shown. */
  question: string;
  /** What a good answer looks at, shown under the question. */
  guide: string;
}

/** A student's answer to one prompt. */
export interface InterpretationAnswer {
  /** Prompt id. */
  id: string;
  /** The text as typed (trimmed). */
  text: string;
  /** Seconds spent writing it. */
  seconds: number;
}

/** The prompts, in the order they are asked. */
export const INTERPRETATION_PROMPTS: readonly InterpretationPrompt[] = [
  {
    id: 'choice',
    question: 'Which model would you choose, and why?',
    guide: 'Compare the means with their spread over folds: is the best one really better, or within the noise? Weigh the cost (time, parameters).',
  },
  {
    id: 'errors',
    question: 'Which classes are confused with each other, and why might that be?',
    guide: 'Read the confusion matrices: which off-diagonal cells are large? Think about what the classes are physically.',
  },
  {
    id: 'features',
    question: 'Which features matter most? Is that plausible, or a sign of leakage?',
    guide: 'Use the permutation importance and the warnings of the overview.',
  },
  {
    id: 'trust',
    question: 'What could make these scores too optimistic, and what would you check next?',
    guide: 'Think about how the rows were collected (time, place, instrument), imbalance, the learning curve, and what a new data set would look like.',
  },
];

/** An answer as the exports print it; a prompt left unanswered (skipped, or a run with --yes) says where to write it. */
export function answerOrPlaceholder(answer: InterpretationAnswer | undefined): string {
  return answer && answer.text.trim() !== '' ? answer.text.trim() : '*(not answered in eds: write your reading here)*';
}
