import type { Registry } from 'prom-client';
import { Gauge } from 'prom-client';
import type { TopicAdmin } from '../kafka/ports.js';

/**
 * Consumer-group lag as Kafka records it (end offset minus committed offset, per
 * partition), read when Prometheus scrapes. Unlike a worker's own lag gauge it stays
 * visible, and keeps rising, while every member of the group is down.
 */
export function consumerGroupLag(
  registry: Registry,
  admin: Pick<TopicAdmin, 'partitionLag'>,
  targets: readonly { readonly group: string; readonly topic: string }[],
): Gauge {
  return new Gauge({
    name: 'lukema_kafka_consumergroup_lag_messages',
    help: 'Messages a consumer group has not committed yet, per partition (from Kafka)',
    labelNames: ['group', 'topic', 'partition'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { group, topic } of targets) {
        const lag = await admin.partitionLag(group, topic).catch(() => undefined);
        for (const [partition, behind] of lag ?? []) {
          this.set({ group, topic, partition: String(partition) }, behind);
        }
      }
    },
  });
}
