/**
 * rivulet error codes ↔ Kafka wire error codes (DESIGN §8: "Kafka error codes on the wire map
 * one-to-one to rivulet's error codes"). The Kafka listener answers with `toWire(code)`; the
 * remote host rebuilds a RivuletError from a wire code with `fromWire`. Numbers are Apache Kafka's
 * (org.apache.kafka.common.protocol.Errors); this module spells them so runtime needs no protocol
 * import.
 *
 * Invariant: fromWire(toWire(c)) === c for every code that has its own wire code; codes that share
 * a wire code (NOT_LEADER / WORKER_EXITED) come back as the first of them.
 */
import { ErrorCode } from './errors.js';

const WIRE: Readonly<Record<ErrorCode, number>> = {
  [ErrorCode.OFFSET_OUT_OF_RANGE]: 1,
  [ErrorCode.CORRUPT_BATCH]: 2,
  [ErrorCode.UNKNOWN_TOPIC]: 3,
  [ErrorCode.UNKNOWN_PARTITION]: 3,
  [ErrorCode.NOT_LEADER]: 6,
  [ErrorCode.WORKER_EXITED]: 6,
  [ErrorCode.TIMEOUT]: 7,
  [ErrorCode.MAILBOX_FULL]: 7,
  [ErrorCode.RECORD_TOO_LARGE]: 10,
  [ErrorCode.INVALID_NAME]: 17,
  [ErrorCode.UNSUPPORTED]: 35,
  [ErrorCode.TOPIC_EXISTS]: 36,
  [ErrorCode.INVALID_REPLICATION]: 38,
  [ErrorCode.INVALID_CONFIG]: 40,
  [ErrorCode.OUT_OF_ORDER_SEQUENCE]: 45,
  [ErrorCode.INVALID_PRODUCER_EPOCH]: 47,
  [ErrorCode.INVALID_ARGUMENT]: 42,
  [ErrorCode.PROTOCOL_ERROR]: 42,
  [ErrorCode.NOT_ENOUGH_REPLICAS]: 19,
  [ErrorCode.OUT_OF_SPACE]: 56,
  [ErrorCode.STORAGE_ERROR]: 56,
  [ErrorCode.AUTH_FAILED]: 58,
  [ErrorCode.INTERNAL]: -1,
  [ErrorCode.CLUSTER_CLOSED]: -1,
  [ErrorCode.CONNECTION_ERROR]: -1,
};

/** Wire codes rivulet never sends but Kafka servers do, mapped to the nearest rivulet code. */
const FROM_KAFKA_ONLY: Readonly<Record<number, ErrorCode>> = {
  5: ErrorCode.NOT_LEADER, // LEADER_NOT_AVAILABLE
  20: ErrorCode.TIMEOUT, // NOT_ENOUGH_REPLICAS_AFTER_APPEND
  37: ErrorCode.INVALID_CONFIG, // INVALID_PARTITIONS
  44: ErrorCode.INVALID_CONFIG, // POLICY_VIOLATION
  87: ErrorCode.CORRUPT_BATCH, // INVALID_RECORD
};

const BY_WIRE = new Map<number, ErrorCode>();
for (const [code, wire] of Object.entries(WIRE) as [ErrorCode, number][]) if (!BY_WIRE.has(wire)) BY_WIRE.set(wire, code);

export function toWire(code: ErrorCode): number {
  return WIRE[code] ?? -1;
}

/** The rivulet code for a Kafka wire code (0 = no error → undefined). */
export function fromWire(wire: number): ErrorCode | undefined {
  if (wire === 0) return undefined;
  return BY_WIRE.get(wire) ?? FROM_KAFKA_ONLY[wire] ?? ErrorCode.INTERNAL;
}
