import type { PushHeader, Resolution } from '@lukema/core';

/** The header fields as the Avro records of every head-end message family hold them. */
export interface PushHeaderRecord {
  messageId: string;
  headEndId: string;
  meteringPointId: string;
  direction: 'CONSUMPTION' | 'PRODUCTION';
  resolution: Resolution;
  sentAt: number;
}

export function headerToDomain(r: PushHeaderRecord): PushHeader {
  return {
    messageId: r.messageId,
    headEndId: r.headEndId,
    meteringPointId: r.meteringPointId,
    direction: r.direction === 'CONSUMPTION' ? 'consumption' : 'production',
    resolution: r.resolution,
    sentAtMs: r.sentAt,
  };
}

export function headerToRecord(h: PushHeader): PushHeaderRecord {
  return {
    messageId: h.messageId,
    headEndId: h.headEndId,
    meteringPointId: h.meteringPointId,
    direction: h.direction === 'consumption' ? 'CONSUMPTION' : 'PRODUCTION',
    resolution: h.resolution,
    sentAt: h.sentAtMs,
  };
}
