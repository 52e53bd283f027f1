import { logLevel as KafkaLogLevel } from 'kafkajs';

/**
 * Broker answers that only mean "ask again in a moment": a partition or group whose leader
 * or coordinator is still being elected (right after a topic is created, or a broker
 * restarted). kafkajs retries them itself and logs each one as an error first. Its log
 * entry carries only the message text, so the text is what can be matched here.
 */
const EXPECTED_RACES = [
  /not the leader for that topic-partition/i,
  /in the middle of a leadership election/i,
  /does not host this topic-partition/i,
  /coordinator is not available/i,
  /not the correct coordinator/i,
  /coordinator is loading/i,
];

export type PinoLevel = 'error' | 'warn' | 'info' | 'debug';

/**
 * The pino level for a kafkajs log entry: an error that is one of the expected, retried
 * races is logged at `info` and marked `retried`, so a reader is not alarmed by it;
 * anything else keeps its severity.
 */
export function kafkajsLogLevel(
  level: number,
  extra: Record<string, unknown>,
): { level: PinoLevel; retried: boolean } {
  const error = typeof extra.error === 'string' ? extra.error : '';
  if (level <= KafkaLogLevel.WARN && EXPECTED_RACES.some((race) => race.test(error))) {
    return { level: 'info', retried: true };
  }
  if (level <= KafkaLogLevel.ERROR) return { level: 'error', retried: false };
  return { level: level === KafkaLogLevel.WARN ? 'warn' : 'debug', retried: false };
}
