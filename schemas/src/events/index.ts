export { CONTRACT_EVENT, parseContractEvent } from './contract-event.js';
export {
  CORRECTION_EVENT,
  type CorrectionEvent,
  correctionEventValue,
  parseCorrectionEvent,
} from './correction-event.js';
export {
  ERASURE_EVENT,
  type ErasureEvent,
  erasureEventValue,
  parseErasureEvent,
} from './erasure-event.js';
export {
  OBJECTION_EVENT,
  type ObjectionEvent,
  type ObjectionState,
  objectionEventValue,
  parseObjectionEvent,
} from './objection-event.js';
export { encodeEvent, parseEvent } from './parse-event.js';
