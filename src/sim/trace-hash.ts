/**
 * Running 64-bit FNV-1a hash (two 32-bit lanes) over the delivered-event log. Two runs with the
 * same seed must end with the same hash; any divergence in what was delivered, when, or to whom
 * changes it.
 */
export class TraceHash {
  private a = 0x811c9dc5;
  private b = 0x01000193 ^ 0x9e3779b9;
  events = 0;

  addString(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      this.a = Math.imul(this.a ^ c, 0x01000193) >>> 0;
      this.b = Math.imul(this.b ^ c, 0x01000197) >>> 0;
    }
  }

  addBytes(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      this.a = Math.imul(this.a ^ bytes[i]!, 0x01000193) >>> 0;
      this.b = Math.imul(this.b ^ bytes[i]!, 0x01000197) >>> 0;
    }
  }

  /** Record one delivered event. */
  event(timeMs: number, from: string, to: string, msg: { type: string }): void {
    this.events++;
    this.addString(`${timeMs}|${from}|${to}|${msg.type}|`);
    for (const v of Object.values(msg) as unknown[]) {
      if (v instanceof Uint8Array) this.addBytes(v);
      else if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') this.addString(`${v},`);
    }
  }

  hex(): string {
    return this.a.toString(16).padStart(8, '0') + this.b.toString(16).padStart(8, '0');
  }
}
