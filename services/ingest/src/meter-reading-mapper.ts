import {
  type ContractPeriod,
  ENERGY_MEASUREMENT,
  GAP_MEASUREMENT,
  gsrnProblem,
  type IntervalBatch,
  instantText,
  isCleanPush,
  LineBuffer,
  PointLines,
  PoisonMessageError,
  periodAt,
  type RegisterState,
  registerDeltas,
  type StoredReadingBatch,
  type ValidatedInterval,
  validateBatch,
} from '@lukema/core';
import type {
  ConsumedMessage,
  ErasedPeriod,
  ErasedPeriodStore,
  ParkingStore,
  ReadingCorrection,
  RegisterStateStore,
  RegistryReader,
  RevisionGate,
  WindowDigestStore,
} from '@lukema/platform';
import { inErasedPeriod } from '@lukema/platform';
import type { MeterMessageCodec } from '@lukema/schemas';
import type {
  BatchMapper,
  BatchSource,
  MappedBatch,
  Rejection,
  SourcedChunk,
} from './batch-mapper.js';
import { type GatedWindow, gatedWindows, pushWindow, windowClaims } from './push-window.js';
import {
  keepStorable,
  rejectUnstorable,
  type ScreenedPush,
  type StartScreen,
} from './time-screening.js';

export interface MeterReadingMapperDeps {
  readonly codec: MeterMessageCodec;
  readonly registry: RegistryReader;
  readonly parking: ParkingStore;
  /** Erased customers' periods: a reading of one is dropped where it would be parked. */
  readonly erased?: ErasedPeriodStore;
  readonly registerStates: RegisterStateStore;
  /**
   * The revision rule per push window, decided atomically across workers: a push older than
   * one already claimed for its window is not written (whatever partition either came on).
   */
  readonly revisions?: RevisionGate;
  /** Digests of stored push windows: a re-sent window with other values is a correction. */
  readonly digests?: WindowDigestStore;
  /** Reports corrected pushes for the audit trail (made durable before the commit). */
  readonly reportCorrections?: (corrections: readonly ReadingCorrection[]) => Promise<void>;
  /** Re-queues a point's parked readings (see releaseParked). */
  readonly release: (meteringPointId: string) => Promise<unknown>;
  /** Lines per chunk (one write request each); a chunk ends at a message's end. */
  readonly chunkLines: number;
  /** Readings older than this are refused by InfluxDB: dead-lettered instead of written. */
  readonly retentionMs: number;
  /** Readings starting later than now + this are dead-lettered (clock-skew allowance). */
  readonly futureHorizonMs: number;
  readonly now?: () => number;
}

type Decoded = ScreenedPush;

const isStored = (batch: IntervalBatch | StoredReadingBatch): batch is StoredReadingBatch =>
  'readings' in batch;

/** The revision a reading is written with: its own when it was stored before, else the push's. */
const revisionOf = (interval: ValidatedInterval, batch: IntervalBatch | StoredReadingBatch) =>
  'revision' in interval && typeof interval.revision === 'number'
    ? interval.revision
    : batch.sentAtMs;

/**
 * Readings this close to the retention bound are dead-lettered with the older ones: they
 * would expire within minutes, and a write delayed by retries could cross the bound.
 */
export const RETENTION_MARGIN_MS = 15 * 60_000;

/** Why a push sent (by its own clock) after the receiving clock's horizon is dead-lettered. */
export const sentInFutureReason = (horizonMs: number) =>
  `sent in the future: sentAt more than ${horizonMs / 3_600_000} h after the receiving clock (it would stand as its windows' newest revision)`;

/** Why a push without a single interval (or register read) is dead-lettered. */
export const EMPTY_PUSH_REASON = 'no intervals: the push carries no readings';

const seriesKey = (mp: string, direction: string) => `${mp}|${direction}`;

/**
 * The ingest pipeline's pure core around its lookups: decode → (register reads to deltas) →
 * validate → attach each reading to the contract valid at its own timestamp → line protocol.
 * Readings without a contract yet are parked whole (re-queued when the assignment arrives);
 * what cannot be decoded or attributed at all is rejected with the reason.
 */
export class MeterReadingMapper implements BatchMapper {
  private readonly lines = new PointLines();

  constructor(private readonly deps: MeterReadingMapperDeps) {}

  async map(
    messages: readonly ConsumedMessage[],
    emit?: (chunk: SourcedChunk) => void,
    source?: BatchSource,
  ): Promise<MappedBatch> {
    const nowMs = this.deps.now?.() ?? Date.now();
    const rejections: Rejection[] = [];
    const screen: StartScreen = (message, starts) =>
      rejectUnstorable(message, starts, nowMs, this.deps.futureHorizonMs, rejections);
    const all = await this.decodeAll(messages, rejections, screen);
    const registerStates = all.registerStates;
    const horizon = nowMs + this.deps.futureHorizonMs;
    const decoded = keepStorable(all.decoded, screen, (b) =>
      this.deps.codec.encodeInterval(b),
    ).filter(({ message, batch }) => {
      // A push's sentAt is its windows' revision: one far ahead of this clock would stand as
      // the newest for the windows' 40 days, and every later correction would be left out.
      if (isStored(batch) || batch.sentAtMs <= horizon) return true;
      rejections.push({
        message,
        reason: sentInFutureReason(this.deps.futureHorizonMs),
        errorType: 'SentInFuture',
      });
      return false;
    });
    // Stored readings (re-released by the registry) are no push of a head-end: they have no
    // window digest to compare, and carry each reading's own revision, which the revision
    // rule judges per run of one revision (the push window that wrote them).
    const allWindows = decoded.map(({ batch }) =>
      isStored(batch) ? undefined : pushWindow(batch),
    );
    const gated = decoded.map(({ batch }, i) => gatedWindows(batch, allWindows[i]));
    const claims = windowClaims(decoded, gated, source);
    const [periods, seenDigests, staleWindows] = await Promise.all([
      this.deps.registry.periodsFor([...new Set(decoded.map((d) => d.batch.meteringPointId))]),
      this.deps.digests
        ? this.deps.digests.getMany(allWindows.filter((w) => w !== undefined))
        : new Map<string, string>(),
      this.deps.revisions?.claim([...claims.values()]) ?? new Set<string>(),
    ]);
    // An older revision of a window than one claimed (here or by any worker) is left out:
    // a push whole, stored readings by their runs.
    const stale = (w: GatedWindow) =>
      staleWindows.has(w.id) || w.rev < (claims.get(w.id)?.rev ?? 0);
    const superseded = decoded.map(({ batch }, i) => {
      const window = gated[i]?.[0];
      return !isStored(batch) && window !== undefined && stale(window);
    });
    const staleRuns = decoded.map(({ batch }, i) =>
      isStored(batch) ? (gated[i] ?? []).filter(stale) : [],
    );
    const windows = allWindows.map((w, i) => (superseded[i] ? undefined : w));
    const pushWindows = windows.filter((w) => w !== undefined);
    const corrections: ReadingCorrection[] = [];
    const out = new LineBuffer();
    /** Full chunks not handed to `emit` (when there is none). */
    const chunks: SourcedChunk[] = [];
    let sources: ConsumedMessage[] = [];
    const take = (): SourcedChunk => {
      const chunk = { ...out.take(), sources };
      sources = [];
      return chunk;
    };
    const toPark: Array<{
      meteringPointId: string;
      message: Buffer;
      source?: string;
      /** The readings no contract took (a message is parked whole: the rest are stored). */
      unattached: number[];
    }> = [];
    let readings = 0;
    let parked = 0;
    let supersededReadings = 0;
    const oldestKept = nowMs - this.deps.retentionMs + RETENTION_MARGIN_MS;
    const oldestWritten: Array<{ message: ConsumedMessage; startMs: number }> = [];
    for (const [index, { message, batch, parkAs }] of decoded.entries()) {
      const sent = isStored(batch) ? batch.readings.length : batch.intervals.length;
      readings += sent;
      if (superseded[index]) {
        supersededReadings += sent;
        continue;
      }
      // A clean push (nearly all) validates as sent: its intervals are written as they are.
      const clean = !isStored(batch) && isCleanPush(batch, nowMs);
      const checked = isStored(batch)
        ? { intervals: batch.readings, gaps: [] }
        : clean
          ? { intervals: batch.intervals, gaps: [] }
          : validateBatch(batch, { nowMs });
      const mpPeriods = periods.get(batch.meteringPointId) ?? [];
      // A head-end push writes every reading with its own revision; stored readings keep theirs.
      const pushRevision = isStored(batch) ? undefined : batch.sentAtMs;
      const tooOld: number[] = [];
      const unattached: number[] = [];
      let oldestMs = Number.POSITIVE_INFINITY;
      // The tag part is the same for every reading of a message under one contract.
      let prefixPeriod: ContractPeriod | undefined;
      let prefix = '';
      // One revision record per run of written readings of one contract and revision.
      let run: { period: ContractPeriod; rev: number; first: number; last: number } | undefined;
      const endRun = () => {
        if (!run) return;
        const runPrefix =
          run.period === prefixPeriod
            ? prefix
            : this.lines.prefix(ENERGY_MEASUREMENT, run.period, batch.direction, batch.resolution);
        for (const rest of this.lines.revisionFields(
          batch.resolution,
          run.first,
          run.last,
          run.rev,
        ))
          out.add(runPrefix, rest);
        run = undefined;
      };
      const leftOut = staleRuns[index] ?? [];
      for (const interval of checked.intervals) {
        if (
          leftOut.length > 0 &&
          leftOut.some((r) => r.startMs <= interval.startMs && interval.startMs <= r.endMs)
        ) {
          supersededReadings++;
          continue;
        }
        if (interval.startMs < oldestKept) {
          tooOld.push(interval.startMs);
          continue;
        }
        const period = periodAt(mpPeriods, interval.startMs);
        if (!period) {
          unattached.push(interval.startMs);
          continue;
        }
        if (period !== prefixPeriod) {
          prefix = this.lines.prefix(ENERGY_MEASUREMENT, period, batch.direction, batch.resolution);
          prefixPeriod = period;
        }
        if (clean) this.lines.addMeasured(out, prefix, interval.startMs, interval.quantityWh ?? 0);
        else this.lines.addReading(out, prefix, interval as ValidatedInterval);
        const rev = pushRevision ?? revisionOf(interval as ValidatedInterval, batch);
        if (run && (run.period !== period || run.rev !== rev)) endRun();
        if (run) {
          run.first = Math.min(run.first, interval.startMs);
          run.last = Math.max(run.last, interval.startMs);
        } else run = { period, rev, first: interval.startMs, last: interval.startMs };
        if (interval.startMs < oldestMs) oldestMs = interval.startMs;
      }
      endRun();
      if (oldestMs !== Number.POSITIVE_INFINITY) oldestWritten.push({ message, startMs: oldestMs });
      const window = allWindows[index];
      const before = window ? seenDigests.get(window.id) : undefined;
      const owner = window ? periodAt(mpPeriods, window.startMs) : undefined;
      if (window && owner && before !== undefined && before !== window.digest) {
        corrections.push({
          pseudonym: owner.pseudonym,
          windowStart: instantText(window.startMs),
          intervals: sent,
        });
      }
      for (const gap of checked.gaps) {
        if (gap.startMs < oldestKept) continue; // InfluxDB would refuse it; nothing to keep
        const period: ContractPeriod | undefined = periodAt(mpPeriods, gap.startMs);
        if (period) {
          const gapPrefix = this.lines.prefix(
            GAP_MEASUREMENT,
            period,
            batch.direction,
            batch.resolution,
          );
          out.add(gapPrefix, this.lines.gapFields(gap));
        }
      }
      if (tooOld.length > 0) {
        rejections.push({
          message,
          reason: 'outside retention policy: older than the bucket keeps (or about to be)',
          errorType: 'OutsideRetention',
          intervals: tooOld,
        });
      }
      if (unattached.length > 0 && message.value) {
        toPark.push({
          unattached,
          meteringPointId: batch.meteringPointId,
          // Without the readings dead-lettered here: re-released, they must not be again.
          message: parkAs ? parkAs() : message.value,
          // Parked once per source message, however often it is read.
          ...(source ? { source: `${source.topic}/${source.partition}/${message.offset}` } : {}),
        });
        parked += unattached.length;
      }
      out.mark();
      sources.push(message);
      if (out.count >= this.deps.chunkLines) {
        if (emit) {
          emit(take());
          // Let the writes just started go out while the rest is mapped.
          await new Promise<void>((resolve) => setImmediate(resolve));
        } else chunks.push(take());
      }
    }
    // A message whose every unattached reading is an erased customer's is not parked: no
    // contract would ever take them (the registry skips contract events from before an
    // erasure), and parked they would stay, under the point's id, for good.
    const erasedOf =
      toPark.length > 0 && this.deps.erased
        ? await this.deps.erased.periodsOf(toPark.map((p) => p.meteringPointId))
        : new Map<string, ErasedPeriod[]>();
    const parkNow = toPark.filter((p) => {
      const erased = erasedOf.get(p.meteringPointId);
      if (!erased) return true;
      const all = p.unattached.every((t) => inErasedPeriod(t, erased));
      if (all) parked -= p.unattached.length;
      return !all;
    });
    return {
      chunks: out.count > 0 ? [...chunks, take()] : chunks,
      rejections,
      oldestWritten,
      readings,
      parked,
      superseded: supersededReadings,
      beforeCommit: async () => {
        await this.deps.parking.park(parkNow.map(({ unattached: _, ...entry }) => entry));
        await this.releaseIfAssigned(parkNow, periods);
        await this.deps.registerStates.setMany(registerStates);
        if (corrections.length > 0) await this.deps.reportCorrections?.(corrections);
        await this.deps.digests?.setMany(pushWindows);
        await this.deps.revisions?.release([...claims.values()]);
      },
    };
  }

  /**
   * The registry stores a contract and then releases what is parked; this worker parks and
   * then looks at the registry again. Whichever comes second sees the other's write, so a
   * contract stored while this batch was being mapped cannot leave readings parked.
   */
  private async releaseIfAssigned(
    parked: ReadonlyArray<{ meteringPointId: string }>,
    seen: ReadonlyMap<string, ContractPeriod[]>,
  ): Promise<void> {
    if (parked.length === 0) return;
    const ids = [...new Set(parked.map((p) => p.meteringPointId))];
    const now = await this.deps.registry.periodsFor(ids);
    for (const id of ids) {
      if (JSON.stringify(now.get(id) ?? []) !== JSON.stringify(seen.get(id) ?? [])) {
        await this.deps.release(id);
      }
    }
  }

  /** Decodes every message; register reads become interval batches using the last state. */
  private async decodeAll(
    messages: readonly ConsumedMessage[],
    rejections: Rejection[],
    screen: StartScreen,
  ) {
    const decoded: Decoded[] = [];
    const registers: Array<{
      message: ConsumedMessage;
      batch: import('@lukema/core').RegisterReadBatch;
    }> = [];
    for (const message of messages) {
      try {
        if (!message.value) throw new PoisonMessageError('empty message value');
        const m = this.deps.codec.decode(message.value);
        const problem = gsrnProblem(m.batch.meteringPointId);
        if (problem) throw new PoisonMessageError(`unattributable: ${problem}`);
        // Consumed and stored nowhere would leave no trace of the push.
        const count =
          m.kind === 'interval'
            ? m.batch.intervals.length
            : m.kind === 'register'
              ? m.batch.reads.length
              : m.batch.readings.length;
        if (count === 0) throw new PoisonMessageError(EMPTY_PUSH_REASON);
        if (m.kind === 'register') registers.push({ message, batch: m.batch });
        else decoded.push({ message, batch: m.batch });
      } catch (error) {
        if (!(error instanceof PoisonMessageError)) throw error;
        rejections.push({ message, reason: error.reason, errorType: error.name });
      }
    }
    const registerStates = new Map<string, RegisterState[]>();
    if (registers.length === 0) return { decoded, registerStates };
    const keys = registers.map((r) => seriesKey(r.batch.meteringPointId, r.batch.direction));
    const previous = await this.deps.registerStates.getMany([...new Set(keys)]);
    registers.forEach(({ message, batch: sent }, i) => {
      const key = keys[i] as string;
      // A far-future read kept as the register's last state would stop every later push
      // from bridging to it: screened before differencing, like interval starts.
      const bad = screen(
        message,
        sent.reads.map((r) => r.atMs),
      );
      const batch =
        bad.size === 0 ? sent : { ...sent, reads: sent.reads.filter((r) => !bad.has(r.atMs)) };
      if (batch.reads.length === 0) return;
      // The series' kept reads, with those of earlier messages of this fetch: a message
      // bridges to its neighbours, whichever came first (never to its own reads).
      const known = registerStates.get(key) ?? previous.get(key) ?? [];
      const result = registerDeltas(batch, known);
      registerStates.set(key, result.edges);
      decoded.push({
        message,
        ...(bad.size > 0 ? { parkAs: () => this.deps.codec.encodeRegister(batch) } : {}),
        batch: {
          messageId: batch.messageId,
          headEndId: batch.headEndId,
          meteringPointId: batch.meteringPointId,
          direction: batch.direction,
          resolution: batch.resolution,
          sentAtMs: batch.sentAtMs,
          intervals: result.intervals,
        },
      });
    });
    return { decoded, registerStates };
  }
}
