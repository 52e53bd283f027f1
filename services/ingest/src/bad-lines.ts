import type { LineChunk } from '@lukema/core';
import { type ConsumedMessage, WriteRejectedError, type WriteResult } from '@lukema/platform';
import type { SourcedChunk } from './batch-mapper.js';

/** A line InfluxDB refused for good, traced to the message it came from. */
export interface RefusedLine {
  readonly message: ConsumedMessage;
  /** The line's timestamp (epoch ms), NaN when the line has none that parses. */
  readonly startMs: number;
  readonly reason: string;
}

export interface IsolatedWrite {
  readonly results: WriteResult[];
  readonly refused: RefusedLine[];
}

/** Lines [first, last) of a chunk. */
interface Slice {
  readonly first: number;
  readonly last: number;
}

/**
 * Writes a chunk; when InfluxDB refuses it as a bad request (HTTP 400: a line it cannot
 * parse or store), writes each half, and so on down to single lines, so every line it
 * accepts is stored and each refused line is traced to its message. k bad lines among n
 * cost about 2·k·log2(n) requests; a chunk without one costs one request, as before.
 * @throws whatever `write` throws other than a 400 (retriable or not: the caller decides).
 */
export async function writeIsolatingBadLines(
  chunk: SourcedChunk,
  write: (chunk: LineChunk) => Promise<WriteResult>,
): Promise<IsolatedWrite> {
  const results: WriteResult[] = [];
  const refused: RefusedLine[] = [];
  try {
    results.push(await write(chunk));
    return { results, refused };
  } catch (error) {
    if (!isBadRequest(error)) throw error;
  }
  const starts = lineStarts(chunk.body);
  const byteAt = (line: number) => starts[line] ?? chunk.body.length;
  const part = ({ first, last }: Slice): LineChunk => ({
    body: chunk.body.subarray(byteAt(first), byteAt(last)),
    count: last - first,
  });
  const split = async (slice: Slice): Promise<void> => {
    const mid = Math.floor((slice.first + slice.last) / 2);
    for (const half of [
      { first: slice.first, last: mid },
      { first: mid, last: slice.last },
    ]) {
      try {
        results.push(await write(part(half)));
      } catch (error) {
        if (!isBadRequest(error)) throw error;
        if (half.last - half.first > 1) await split(half);
        else refused.push(refusedLine(chunk, byteAt(half.first), byteAt(half.last), error));
      }
    }
  };
  // The whole chunk failed: a single line needs no second try.
  if (chunk.count <= 1) {
    try {
      await write(chunk);
    } catch (error) {
      if (!isBadRequest(error)) throw error;
      refused.push(refusedLine(chunk, 0, chunk.body.length, error));
    }
  } else await split({ first: 0, last: chunk.count });
  return { results, refused };
}

/**
 * A refusal of some lines, for good: 400 (a line InfluxDB cannot parse or store) or 422 not
 * about retention (the writer handles that one: a field type conflict, as when something else
 * wrote `kwh` as an integer). Either is split down to its lines, which are dead-lettered.
 */
function isBadRequest(error: unknown): error is WriteRejectedError {
  return error instanceof WriteRejectedError && (error.status === 400 || error.status === 422);
}

function lineStarts(body: Buffer): number[] {
  const starts = [0];
  for (let at = body.indexOf(0x0a); at !== -1 && at + 1 < body.length; ) {
    starts.push(at + 1);
    at = body.indexOf(0x0a, at + 1);
  }
  return starts;
}

function refusedLine(
  chunk: SourcedChunk,
  from: number,
  to: number,
  error: WriteRejectedError,
): RefusedLine {
  const marks = chunk.marks ?? [];
  const index = marks.findIndex((end) => end > from);
  const message = index === -1 ? undefined : chunk.sources[index];
  // Every line is written under a mark; one that is not cannot be set aside: fail loudly.
  if (!message) throw error;
  const line = chunk.body.subarray(from, to).toString('utf8').trimEnd();
  return {
    message,
    startMs: Number(line.slice(line.lastIndexOf(' ') + 1)),
    reason: badRequestReason(error.detail),
  };
}

/**
 * InfluxDB's 400 reply without the line it quotes (a line holds a pseudonym: the reason
 * travels in headers and logs), e.g. "unable to parse the line: time outside range …".
 */
export function badRequestReason(detail: string): string {
  let message = detail;
  try {
    const parsed = JSON.parse(detail) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // not JSON: InfluxDB's text as it is
  }
  const first = (message.split('\n')[0] ?? '').replace(
    /unable to parse '(?:[^'\\]|\\.)*'/g,
    'unable to parse the line',
  );
  return `InfluxDB refused the reading as a bad request: ${first}`;
}
