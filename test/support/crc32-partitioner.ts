import { crc32 } from 'node:zlib';
import type { ICustomPartitioner } from 'kafkajs';

/**
 * librdkafka's default partitioner (`consistent_random`): CRC-32 of the key modulo the
 * partition count (a random partition for a null key), as a head-end on librdkafka (C,
 * Python, Go, .NET clients) places messages; Java clients and kafkajs hash with murmur2.
 */
export const crc32Partitioner: ICustomPartitioner =
  () =>
  ({ partitionMetadata, message }) => {
    const count = partitionMetadata.length;
    if (message.key === null || message.key === undefined) {
      return Math.floor(Math.random() * count);
    }
    const key = typeof message.key === 'string' ? Buffer.from(message.key) : message.key;
    return crc32(key) % count;
  };
