import { formatPoint, gsrnProblem, type IntervalBatch, PoisonMessageError } from '@lukema/core';
import type { ConsumedMessage } from '@lukema/platform';
import type { IntervalBatchCodec } from '@lukema/schemas';
import type { BatchMapper, MappedBatch, Rejection } from './batch-mapper.js';

/** Decodes interval batches and maps every interval to a point. */
export class IntervalMapper implements BatchMapper {
  constructor(private readonly codec: IntervalBatchCodec) {}

  async map(messages: readonly ConsumedMessage[]): Promise<MappedBatch> {
    const lines: string[] = [];
    const rejections: Rejection[] = [];
    let readings = 0;
    for (const message of messages) {
      let batch: IntervalBatch;
      try {
        if (!message.value) throw new PoisonMessageError('empty message value');
        batch = this.codec.decode(message.value);
        const problem = gsrnProblem(batch.meteringPointId);
        if (problem) throw new PoisonMessageError(problem);
      } catch (error) {
        if (!(error instanceof PoisonMessageError)) throw error;
        rejections.push({ message, reason: error.reason, errorType: error.name });
        continue;
      }
      for (const interval of batch.intervals) {
        readings++;
        lines.push(
          formatPoint({
            measurement: 'energy',
            tags: {
              metering_point: batch.meteringPointId,
              direction: batch.direction,
              resolution: batch.resolution,
            },
            fields: {
              kwh: (interval.quantityWh ?? 0) / 1000,
              quality: interval.quantityWh === null ? 'missing' : 'measured',
            },
            timeMs: interval.startMs,
          }),
        );
      }
    }
    return { lines, rejections, readings };
  }
}
