import type { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KafkajsTopicAdmin } from './kafkajs-adapter.js';

/** A kafkajs admin whose createTopics fails as the broker does right after creating a topic. */
function fakeKafka(createError: Error & { retriable?: boolean }) {
  const calls: string[] = [];
  let offsetReads = 0;
  const admin = {
    connect: async () => undefined,
    listTopics: async () => [],
    createTopics: async () => {
      calls.push('create');
      throw createError;
    },
    fetchTopicOffsets: async () => {
      offsetReads++;
      if (offsetReads === 1) {
        throw Object.assign(new Error('This server is not the leader for that topic-partition'), {
          retriable: true,
        });
      }
      return [{ partition: 0, offset: '0', high: '0', low: '0' }];
    },
  };
  return { kafka: { admin: () => admin } as unknown as Kafka, calls, reads: () => offsetReads };
}

describe('ensureTopics', () => {
  it('waits out the leader race after creating a topic instead of failing', async () => {
    const race = Object.assign(new Error('This server does not host this topic-partition'), {
      retriable: true,
    });
    const fake = fakeKafka(race);
    const created = await new KafkajsTopicAdmin(fake.kafka).ensureTopics([
      { topic: 't', partitions: 1 },
    ]);
    expect(created).toEqual(['t']);
    expect(fake.reads()).toBe(2);
  });

  it('throws a final error', async () => {
    const final = Object.assign(new Error('Topic name is invalid'), { retriable: false });
    await expect(
      new KafkajsTopicAdmin(fakeKafka(final).kafka).ensureTopics([{ topic: 't', partitions: 1 }]),
    ).rejects.toThrow('Topic name is invalid');
  });
});
