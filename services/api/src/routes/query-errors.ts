import { InvalidQueryValueError, QueryRejectedError, QueryTooLargeError } from '@lukema/platform';

/**
 * The 400 answer for a query error that is the request's fault, or undefined for one that is
 * not (a refused token is ours: a 500; an unreachable InfluxDB a 503). InfluxDB's own text
 * stays out of the answer and the log: it quotes the query.
 */
export function queryErrorAnswer(error: unknown): { error: string } | undefined {
  if (error instanceof InvalidQueryValueError) return { error: error.message };
  if (error instanceof QueryTooLargeError) {
    return {
      error: `${error.message}: ask for a shorter range, a coarser period (every=day or month) or one area`,
    };
  }
  if (error instanceof QueryRejectedError && error.status === 400) {
    return { error: `the query cannot be answered (${error.message}); check from, to and area` };
  }
  return undefined;
}
