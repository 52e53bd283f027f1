import {
  type AuditEntry,
  AuditPersonalDataError,
  GENESIS_HASH,
  LukemaError,
  verifyChain,
} from '@lukema/core';
import { describe, expect, it } from 'vitest';
import type { MessageProducer, OutgoingMessage, TopicSnapshotReader } from '../kafka/ports.js';
import { auditRecordKey, KafkaAuditLog } from './kafka-audit-log.js';

const TOPIC = 'lukema.audit.test';

/** Stores a message once it is acknowledged; acks can be held back or made to fail. */
class FakeProducer implements MessageProducer {
  readonly stored: Array<{ topic: string; key: string; value: Buffer | null }> = [];
  inFlight = 0;
  maxInFlight = 0;
  private failure: Error | undefined;
  private held: Array<() => void> | undefined;

  failNext(error: Error): void {
    this.failure = error;
  }

  hold(): void {
    this.held = [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const ack of held) ack();
  }

  async send(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // A few turns of the event loop, as a broker round trip would take.
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
      if (this.held) await new Promise<void>((resolve) => this.held?.push(resolve));
      const failure = this.failure;
      this.failure = undefined;
      if (failure) throw failure;
      for (const m of messages) this.stored.push({ topic, key: String(m.key), value: toBuffer(m) });
    } finally {
      this.inFlight--;
    }
  }

  async close(): Promise<void> {}
}

function toBuffer(message: OutgoingMessage): Buffer | null {
  if (message.value === null) return null;
  return Buffer.isBuffer(message.value) ? message.value : Buffer.from(message.value);
}

/** Latest value per key, handed out in reverse key order so the log has to sort. */
class FakeSnapshots implements TopicSnapshotReader {
  constructor(private readonly producer: FakeProducer) {}

  async snapshot(topic: string): Promise<Map<string, Buffer | null>> {
    const latest = new Map<string, Buffer | null>();
    for (const m of this.producer.stored) if (m.topic === topic) latest.set(m.key, m.value);
    return new Map([...latest].sort(([a], [b]) => b.localeCompare(a)));
  }
}

function setup() {
  const producer = new FakeProducer();
  const snapshots = new FakeSnapshots(producer);
  const open = () => new KafkaAuditLog({ producer, snapshots, topic: TOPIC });
  return { producer, open, log: open() };
}

function entry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    at: `2026-03-01T10:00:0${n % 10}.000Z`,
    actor: 'export-token',
    role: 'analyst',
    purpose: 'network-planning',
    action: 'export.create',
    subject: 'population',
    outcome: 'succeeded',
    details: { n },
    ...overrides,
  };
}

describe('KafkaAuditLog', () => {
  it('starts an empty topic at seq 1 on the genesis hash, keyed by the padded seq', async () => {
    const { log, producer } = setup();
    expect(await log.load()).toBe(0);
    expect(log.head()).toBeUndefined();
    const record = await log.append(entry(1));
    expect(record).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, details: { n: 1 } });
    expect(producer.stored).toHaveLength(1);
    expect(producer.stored[0]?.key).toBe('000000000001');
    expect(JSON.parse(String(producer.stored[0]?.value))).toEqual(record);
    expect(log.head()).toEqual(record);
    expect(auditRecordKey(1234)).toBe('000000001234');
  });

  it('resolves an append only after the broker acknowledges it', async () => {
    const { log, producer } = setup();
    await log.load();
    producer.hold();
    let settled = false;
    const pending = log.append(entry(1)).finally(() => {
      settled = true;
    });
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    expect(log.head()).toBeUndefined();
    producer.release();
    expect((await pending).seq).toBe(1);
    expect(log.head()?.seq).toBe(1);
  });

  it('gives concurrent appends consecutive seq numbers in call order, one send at a time', async () => {
    const { log, producer } = setup();
    await log.load();
    const appended = await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(entry(i))));
    expect(appended.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(appended.map((r) => r.details?.n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(producer.maxInFlight).toBe(1);
    const records = await log.records();
    expect(records).toEqual(appended);
    expect(verifyChain(records, log.head())).toEqual({
      ok: true,
      count: 20,
      head: appended.at(-1)?.hash,
    });
  });

  it('continues a chain another instance wrote, after load() or without it', async () => {
    const { log, open } = setup();
    for (let n = 1; n <= 3; n++) await log.append(entry(n));
    const restarted = open();
    expect(await restarted.load()).toBe(3);
    expect(restarted.head()).toEqual(log.head());
    const fourth = await restarted.append(entry(4));
    expect(fourth).toMatchObject({ seq: 4, prevHash: log.head()?.hash });
    const unloaded = open();
    expect((await unloaded.append(entry(5))).seq).toBe(5);
    expect(verifyChain(await unloaded.records())).toMatchObject({ ok: true, count: 5 });
  });

  it('refuses an entry with a direct identifier, sends nothing, and keeps appending', async () => {
    const { log, producer } = setup();
    const email = 'matti@example.fi';
    const refused = log.append(entry(1, { subject: email }));
    await expect(refused).rejects.toBeInstanceOf(AuditPersonalDataError);
    await expect(refused).rejects.not.toThrow(email);
    expect(producer.stored).toHaveLength(0);
    expect((await log.append(entry(2))).seq).toBe(1);
  });

  it('leaves the head where it was when a send fails, and the next append takes its seq', async () => {
    const { log, producer } = setup();
    await log.append(entry(1));
    const head = log.head();
    producer.failNext(new Error('broker down'));
    const [failed, next] = await Promise.allSettled([log.append(entry(2)), log.append(entry(3))]);
    expect(failed.status).toBe('rejected');
    expect(log.head()).toMatchObject({ seq: 2, prevHash: head?.hash, details: { n: 3 } });
    expect(next).toMatchObject({ status: 'fulfilled', value: log.head() });
    expect(verifyChain(await log.records())).toMatchObject({ ok: true, count: 2 });
  });

  it('skips a deleted record, leaving a gap that verifyChain reports', async () => {
    const { log, producer } = setup();
    for (let n = 1; n <= 3; n++) await log.append(entry(n));
    producer.stored.push({ topic: TOPIC, key: auditRecordKey(2), value: null });
    const records = await log.records();
    expect(records.map((r) => r.seq)).toEqual([1, 3]);
    expect(verifyChain(records)).toMatchObject({ ok: false, brokenAt: 2 });
    expect(log.head()?.seq).toBe(3);
  });

  it('refuses a record that is not JSON without quoting it', async () => {
    const { log, producer } = setup();
    const garbage = 'not json 131052-308T';
    producer.stored.push({ topic: TOPIC, key: auditRecordKey(1), value: Buffer.from(garbage) });
    const loading = log.load();
    await expect(loading).rejects.toBeInstanceOf(LukemaError);
    await expect(loading).rejects.toMatchObject({ retriable: false, context: { topic: TOPIC } });
    await expect(loading).rejects.not.toThrow(garbage);
  });
});
