/**
 * Network partitions for the hosts' fault injection: the set of SPUs cut off from everyone else.
 * An actor's node is its SPU (`spu-N`, `replica:…@N`), 0 for the SC, -1 for clients. A message
 * crosses the cut when exactly one end's node is cut, or both are cut but on different nodes.
 * Messages inside one SPU are never dropped.
 */
import { nodeOf, type ActorId } from './actor-ids.js';

export { nodeOf };

export class LinkCuts {
  private cut = new Set<number>();

  set(spus: Iterable<number>): void {
    this.cut = new Set(spus);
  }

  get spus(): number[] {
    return [...this.cut].sort((a, b) => a - b);
  }

  get active(): boolean {
    return this.cut.size > 0;
  }

  /** True when a message from → to must be dropped. */
  blocks(from: ActorId, to: ActorId): boolean {
    if (this.cut.size === 0) return false;
    const a = nodeOf(from);
    const b = nodeOf(to);
    if (a === b) return false;
    return this.cut.has(a) || this.cut.has(b);
  }
}
