import type { MessageProducer } from '../kafka/ports.js';
import type { ParkingStore } from './ports.js';

/**
 * Re-queues a metering point's parked readings to the readings topic, then removes them
 * from the parking store. Those still without a contract are parked again by the worker.
 * Both the registry (after storing a contract) and the worker (after parking, when the
 * contract appeared meanwhile) call it, so a reading parked while its contract was being
 * stored is never left behind. Releases of one point take turns (`exclusive`), so a point
 * released by both at once re-queues each parked message once.
 * @returns how many messages were re-queued.
 */
export async function releaseParked(
  parking: ParkingStore,
  producer: MessageProducer,
  readingsTopic: string,
  meteringPointId: string,
): Promise<number> {
  return parking.exclusive(meteringPointId, async () => {
    const parked = await parking.peek(meteringPointId);
    if (parked.length === 0) return 0;
    await producer.send(
      readingsTopic,
      parked.map((value) => ({ key: meteringPointId, value })),
      // As the head-end may have sent it: compressed, or the broker may refuse it now.
      { compress: true },
    );
    await parking.drop(meteringPointId, parked);
    return parked.length;
  });
}
