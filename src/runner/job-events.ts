// What a job tells the tutor that submitted it, one JSON object per line (NDJSON) in a file on the shared filesystem:
// it started on a node, a status line, progress, an epoch's losses, the result, or why it failed. Pure: encoding a
// line, and reading lines back as they arrive. The file is read as hostile input (anyone who can write the student's
// files, a job that went wrong): every line is bounded and checked, and text is made safe before anything shows it.
import { z } from 'zod';
import { safeLine, safeText } from '../util/safe-text.js';

/** Longest line of any event but the result (bytes). */
export const MAX_EVENT_BYTES = 64 * 1024;
/** Longest result line: the metrics and the figures drawn as text (bytes). */
export const MAX_RESULT_BYTES = 8 * 1024 * 1024;
/** Most bytes read from one job's file: a run that writes more is refused, not followed. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;
/** Deepest nesting accepted in a result's JSON (a task's JSON is 3 or 4 deep). */
const MAX_DEPTH = 32;

const text = (max: number) => z.string().max(max);
const finite = z.number().finite();

const figureSchema = z.object({ title: text(500), tall: z.boolean().optional(), text: text(1024 * 1024) }).strict();

const eventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), node: text(256), pid: z.number().int().nonnegative(), job_id: text(64) }).strict(),
  z.object({ type: z.literal('status'), message: text(2000) }).strict(),
  z.object({ type: z.literal('progress'), fraction: finite, label: text(200) }).strict(),
  z
    .object({
      type: z.literal('epoch'),
      epoch: z.number().int().min(0).max(1_000_000),
      logs: z.record(text(64), finite).refine((r) => Object.keys(r).length <= 32, 'at most 32 logs'),
      epochs: z.number().int().min(1).max(1_000_000).optional(),
    })
    .strict(),
  z.object({ type: z.literal('result'), json: z.record(z.unknown()), figures: z.array(figureSchema).max(64) }).strict(),
  z.object({ type: z.literal('error'), message: text(4000) }).strict(),
]);

/** One line of a job's progress file. */
export type JobEvent = z.infer<typeof eventSchema>;
/** A figure as a job sends it: drawn as text at the submitter's size. */
export type FigureText = z.infer<typeof figureSchema>;

/** The line for `event`, newline included; text fields cut to their bounds so that a line never fails its own check. */
export function encodeEvent(event: JobEvent): string {
  const e = { ...event } as Record<string, unknown>;
  if (event.type === 'status') e.message = event.message.slice(0, 2000);
  if (event.type === 'error') e.message = event.message.slice(0, 4000);
  if (event.type === 'progress') e.label = event.label.slice(0, 200);
  return `${JSON.stringify(e)}\n`;
}

/**
 * Reads a progress file's bytes as they arrive, in chunks cut anywhere: complete lines become events, a partial
 * last line waits for the rest. A line too long, not JSON, or not an event is counted and skipped (the job's state
 * comes from the scheduler, so a bad line costs a progress report, never a wrong result).
 */
export class EventReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Inside a line already too long: everything up to its end is dropped. */
  private skipping = false;
  /** Lines skipped so far. */
  rejected = 0;
  /** Why the last skipped line was skipped. */
  lastProblem: string | null = null;

  /** The events completed by `chunk`. */
  push(chunk: Uint8Array): JobEvent[] {
    const events: JobEvent[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      const piece = chunk.subarray(start, nl < 0 ? chunk.length : nl);
      if (!this.skipping) {
        if (this.pendingBytes + piece.length > MAX_RESULT_BYTES) {
          this.reject(`a line longer than ${MAX_RESULT_BYTES} bytes`);
          this.skipping = true;
          this.pending = [];
          this.pendingBytes = 0;
        } else if (piece.length > 0) {
          this.pending.push(Buffer.from(piece));
          this.pendingBytes += piece.length;
        }
      }
      if (nl < 0) break;
      if (!this.skipping) {
        const line = Buffer.concat(this.pending);
        const event = line.length === 0 ? null : this.parse(line);
        if (event) events.push(event);
      }
      this.pending = [];
      this.pendingBytes = 0;
      this.skipping = false;
      start = nl + 1;
    }
    return events;
  }

  private reject(why: string): null {
    this.rejected++;
    this.lastProblem = why;
    return null;
  }

  private parse(line: Buffer): JobEvent | null {
    let value: unknown;
    try {
      value = JSON.parse(line.toString('utf8'));
    } catch {
      return this.reject('a line that is not JSON');
    }
    if (tooDeep(value)) return this.reject(`JSON nested deeper than ${MAX_DEPTH}`);
    const parsed = eventSchema.safeParse(value);
    if (!parsed.success) return this.reject(`not an event (${safeLine(parsed.error.issues[0]?.message ?? 'invalid', 120)})`);
    if (parsed.data.type !== 'result' && line.length > MAX_EVENT_BYTES) return this.reject(`a ${parsed.data.type} line longer than ${MAX_EVENT_BYTES} bytes`);
    return clean(parsed.data);
  }
}

/** Whether a parsed JSON value nests deeper than MAX_DEPTH (walked without recursion). */
function tooDeep(value: unknown): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_DEPTH) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Every string in a JSON value (keys too) stripped of control characters; the value is not deeper than MAX_DEPTH. */
export function cleanJson(value: unknown): unknown {
  if (typeof value === 'string') return safeText(value);
  if (Array.isArray(value)) return value.map(cleanJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // A key such as __proto__ would set the prototype through plain assignment.
      Object.defineProperty(out, safeLine(k, 200), { value: cleanJson(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** An event with its text made safe to print (the shapes were checked by the schema). */
function clean(event: JobEvent): JobEvent {
  switch (event.type) {
    case 'start':
      return { ...event, node: safeLine(event.node, 256), job_id: safeLine(event.job_id, 64) };
    case 'status':
      return { ...event, message: safeLine(event.message, 2000) };
    case 'progress':
      return { ...event, label: safeLine(event.label, 200) };
    case 'epoch': {
      const logs: Record<string, number> = {};
      for (const [k, v] of Object.entries(event.logs)) Object.defineProperty(logs, safeLine(k, 64), { value: v, enumerable: true, writable: true });
      return { ...event, logs };
    }
    case 'result':
      return {
        ...event,
        json: cleanJson(event.json) as Record<string, unknown>,
        figures: event.figures.map((f) => ({ title: safeLine(f.title, 500), ...(f.tall ? { tall: true } : {}), text: safeText(f.text) })),
      };
    case 'error':
      return { ...event, message: safeLine(event.message, 4000) };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}
