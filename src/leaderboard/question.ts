// The attempt a leaderboard entry is logged under, in a module of its own: the class report's reading threads
// skip those entries, and must not load the ranking's schema (zod) to know which they are.

/** The attempt under which a student's new best entry is logged (lesson `neural`). */
export const LEADERBOARD_QUESTION = { lesson: 'neural', question: 'leaderboard-digits' } as const;
