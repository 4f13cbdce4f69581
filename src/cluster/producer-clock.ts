/**
 * The producer's clock for records sent without a timestamp. The time lives in a Float64Array
 * cell that the partition builders read (BatchBuilder `clock` option), so a timestamp never
 * travels as a boxed number — which cost an allocation per record.
 *
 * Invariant: the host clock is read at the first record of each event-loop turn and every 256
 * records within one (a read per record cost ~4 % of the produce path), so a record's timestamp is
 * never older than the turn it was sent in, nor than 255 records before it.
 */
export class ProducerClock {
  /** The time (ms) builders stamp records with. */
  readonly cell = new Float64Array(1);
  private reads = 0;
  /** The cell was refreshed in this turn of the event loop (cleared by a setImmediate). */
  private fresh = false;

  constructor(private readonly now: () => number) {}

  /** Before a record without a timestamp is added: refresh the cell when due. */
  tick(): void {
    if (this.fresh && (++this.reads & 0xff) !== 0) return;
    this.cell[0] = this.now();
    if (!this.fresh) {
      this.fresh = true;
      setImmediate(this.stale);
    }
  }

  private readonly stale = (): void => {
    this.fresh = false;
  };
}
