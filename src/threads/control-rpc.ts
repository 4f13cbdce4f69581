/**
 * Low-rate control RPC to a worker over comlink, with a deadline per call and every pending call
 * rejected (WORKER_EXITED) when the worker exits. Never used on the data path.
 */
import * as Comlink from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { MessagePort } from 'node:worker_threads';
import { RivuletError, ErrorCode } from '../runtime/errors.js';

export interface WorkerControlApi {
  stats(): { worker: number; actors: string[]; dropped: number; threadId: number };
  ping(): string;
}

export class ControlRpc {
  private readonly remote: Comlink.Remote<WorkerControlApi>;
  private readonly pending = new Set<(err: Error) => void>();
  private exited = false;

  constructor(private readonly port: MessagePort, private readonly workerIndex: number) {
    this.remote = Comlink.wrap<WorkerControlApi>(nodeEndpoint(port));
  }

  call<K extends keyof WorkerControlApi>(method: K, timeoutMs = 5_000): Promise<ReturnType<WorkerControlApi[K]>> {
    if (this.exited) return Promise.reject(new RivuletError(ErrorCode.WORKER_EXITED, `worker ${this.workerIndex} has exited`));
    return new Promise((resolve, reject) => {
      const fail = (err: Error) => {
        clearTimeout(timer);
        this.pending.delete(fail);
        reject(err);
      };
      const timer = setTimeout(
        () => fail(new RivuletError(ErrorCode.TIMEOUT, `control call ${String(method)} to worker ${this.workerIndex} timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.pending.add(fail);
      (this.remote[method] as unknown as () => Promise<ReturnType<WorkerControlApi[K]>>)().then(
        (v) => {
          clearTimeout(timer);
          this.pending.delete(fail);
          resolve(v);
        },
        (e: unknown) => fail(e instanceof Error ? e : new Error(String(e))),
      );
    });
  }

  /** The worker exited: reject everything pending, refuse new calls. */
  workerExited(): void {
    this.exited = true;
    const err = new RivuletError(ErrorCode.WORKER_EXITED, `worker ${this.workerIndex} exited`);
    for (const fail of [...this.pending]) fail(err);
    this.port.close();
  }
}
