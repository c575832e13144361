// Missing-value codes: the one list every reader and cleaner uses, so a file read as CSV, as a river record or as
// project data calls the same cells missing.

/**
 * Cell texts that mean "missing" in the course's observatory files: empty, the NA/NaN spellings, and the loggers'
 * -30000 and 1e+10 sentinels. Codes that parse as numbers also match by value (`-30000` matches `-30000.0`).
 */
export const MISSING_VALUE_CODES: readonly string[] = ['', 'NA', 'N/A', 'NAN', 'NaN', 'nan', 'null', 'NULL', '-30000', '1e+10'];

/** The numeric codes among {@link MISSING_VALUE_CODES} (-30000 and 1e10): a cell already read as a number with one of these values is missing. */
export const MISSING_SENTINELS: readonly number[] = MISSING_VALUE_CODES.filter((c) => c.trim() !== '' && Number.isFinite(Number(c))).map(Number);

/**
 * How the river lesson's simulated logger writes a missing value, index 0 for "not missing" (an empty cell):
 * the spellings a Campbell logger's files carry. Each must be read back as missing (test/river/generator.test.ts).
 */
export const LOGGER_MISSING_CODES = ['', 'NAN', '-30000.0', '1e+10'] as const;
