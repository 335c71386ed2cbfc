/**
 * Streaming anomaly detection over a social purchase log (the Insight "anomaly_detection" rule):
 * a purchase is anomalous when it exceeds mean + 3 sd of the last T purchases in the buyer's
 * D-hop friend network.
 */
export { AnomalyDetector, type DetectorOptions, type DetectorStats, type FlagResult } from './detector.js';
export {
  BadEventError,
  formatFlagged,
  parseEvent,
  parseEventLine,
  timestampKey,
  type BadLineKind,
  type DetectEvent,
  type FriendshipEvent,
  type ParsedEvent,
  type PurchaseEvent,
} from './events.js';
export { detectFiles, DetectInputError, DetectInterrupted, type BadLine, type BadLineTally, type DetectFilesOptions, type DetectReport } from './files.js';
export { DEFAULT_PARAMS, parseHeader, type HeaderResult } from './header.js';
export { formatReport } from './report.js';
export { parseAmount, type Amount, type Decimal } from './decimal.js';
export { judge, type Verdict } from './stats.js';
export { writeSyntheticLogs, type SyntheticLogOptions } from './synthetic.js';
