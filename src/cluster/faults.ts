/**
 * Fault injection on a running embedded cluster (DESIGN §8), on threads or on the simulator
 * (same calls; the sim applies them at the current virtual time). crashSpu ends the SPU's worker(s)
 * and leaves it down until restartSpu; killWorker injects a real uncaught exception into the
 * SPU's worker, which its supervisor restarts; fill/freeStorage act on the SPU's storage (its
 * disk): a full SPU stays full across disconnects, crashes and restarts — and, in disk mode, a
 * cluster shutdown and restart — until freeStorage. disconnectSpu cuts the SPU off from the SC,
 * the other SPUs and clients until reconnectSpu (messages across the cut are lost, as in a
 * network partition). Every call resolves once its fault is in effect on every thread it
 * concerns: a send right after `await fillStorage(n)` gets OUT_OF_SPACE.
 */
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import type { HostFaults } from '../runtime/transport.js';

export class Faults {
  constructor(private readonly host: HostFaults, private readonly spuIds: number[]) {}

  private need(spuId: number): HostFaults {
    if (!this.spuIds.includes(spuId)) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, `no SPU ${String(spuId)} in this cluster (SPUs: ${this.spuIds.join(', ')})`, { spu: spuId });
    return this.host;
  }

  async crashSpu(spuId: number): Promise<void> {
    await this.need(spuId).crashSpu(spuId);
  }

  async restartSpu(spuId: number): Promise<void> {
    await this.need(spuId).restartSpu(spuId);
  }

  /** A real crash: an uncaught exception in the SPU's worker; supervision restarts it. */
  async killWorker(spuId: number): Promise<void> {
    await this.need(spuId).killWorker(spuId);
  }

  /** The SPU's storage is full (every append fails OUT_OF_SPACE) until freeStorage — across crashes and restarts. */
  async fillStorage(spuId: number): Promise<void> {
    await this.need(spuId).storageFault(spuId, 'fillStorage');
  }

  async freeStorage(spuId: number): Promise<void> {
    await this.need(spuId).storageFault(spuId, 'freeStorage');
  }

  /** Cut the SPU off from the SC, the other SPUs and clients (its messages are lost). */
  async disconnectSpu(spuId: number): Promise<void> {
    await this.need(spuId).setDisconnected(spuId, true);
  }

  async reconnectSpu(spuId: number): Promise<void> {
    await this.need(spuId).setDisconnected(spuId, false);
  }
}
