/**
 * The producer's per-record check (record-input.ts) and partition choice, leaving the result in
 * fields — key, value, options, partition — instead of a returned object, so a send of
 * Uint8Arrays allocates nothing here. murmur2(key) picks the partition (Kafka's default), null
 * keys round-robin, a record may pin its partition.
 *
 * Invariant: after check() returned undefined, k/v/o/p describe that record (until the next
 * check); after it returned an error they are meaningless and nothing else changed.
 */
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import { partitionForKey, RoundRobin } from './partitioner.js';
import { checkBytes, checkKey, checkSendOptionsInto, type CheckedOptions } from './record-input.js';

export class RecordCheck {
  k: Uint8Array | null = null;
  v: Uint8Array = new Uint8Array(0);
  /** Filled in place for each record (never handed out: callers copy the fields they keep). */
  readonly o: CheckedOptions = { partition: undefined, headers: undefined, timestamp: undefined };
  p = 0;
  private readonly rr = new RoundRobin();

  constructor(private readonly topic: string, private readonly maxRecordBytes: number, private readonly partitionCount: () => number) {}

  /** Check one record; the typed error when it is refused (INVALID_ARGUMENT, RECORD_TOO_LARGE, UNKNOWN_PARTITION). */
  check(key: unknown, value: unknown, opts: unknown): Error | undefined {
    try {
      this.k = checkKey(key);
      this.v = checkBytes(value, 'value');
      checkSendOptionsInto(opts, this.o);
    } catch (err) {
      return err as Error;
    }
    const k = this.k;
    const recordBytes = this.v.length + (k === null ? 0 : k.length);
    if (recordBytes > this.maxRecordBytes) {
      return new RivuletError(ErrorCode.RECORD_TOO_LARGE, `record of ${recordBytes} bytes exceeds ${this.maxRecordBytes}`, { bytes: recordBytes });
    }
    const n = this.partitionCount();
    const partition = this.o.partition ?? (k ? partitionForKey(k, n) : this.rr.next(n));
    if (partition >= n) {
      return new RivuletError(ErrorCode.UNKNOWN_PARTITION, `topic '${this.topic}' has no partition ${partition} (it has ${n})`, { partition });
    }
    this.p = partition;
    return undefined;
  }
}
