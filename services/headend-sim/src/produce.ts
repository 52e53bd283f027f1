import type { MessageProducer } from '@lukema/platform';
import type { SimulatedMessage } from './simulate.js';

export interface ProduceCounters {
  messages: number;
  readings: number;
  faulty: number;
}

/** Sends simulated messages in chunks, awaiting the broker's acknowledgement of each chunk. */
export async function produceAll(
  producer: MessageProducer,
  topic: string,
  messages: Iterable<SimulatedMessage>,
  counters: ProduceCounters,
  options: { chunk?: number; shouldStop?: () => boolean } = {},
): Promise<void> {
  const size = options.chunk ?? 500;
  let chunk: SimulatedMessage[] = [];
  const flush = async () => {
    await producer.send(topic, chunk);
    for (const m of chunk) {
      counters.messages++;
      counters.readings += m.readings;
      if (m.fault) counters.faulty++;
    }
    chunk = [];
  };
  for (const message of messages) {
    if (options.shouldStop?.()) break;
    chunk.push(message);
    if (chunk.length >= size) await flush();
  }
  if (chunk.length > 0) await flush();
}
