/**
 * The one file of the facade that knows the hosts (DESIGN §1): it turns Cluster.start options into
 * a running host and hands back only its face (HostTransport). Everything else in src/cluster/
 * talks to that face. `simulation` → the sim host; otherwise the thread host (memory mode, or disk
 * mode under `home`); `connect()` → the remote host (the Kafka protocol to a listener). The facade's option types match the hosts' structurally.
 */
import { BEHAVIORS } from '../../actors/behaviors.js';
import type { ClusterPlan, HostTransport } from '../runtime/transport.js';
import { startSimCluster } from '../sim/sim-transport.js';
import { ThreadTransport } from '../threads/thread-transport.js';
import { RemoteTransport } from '../remote/remote-transport.js';
import { CLUSTER_DEFAULTS, type ClusterOptions } from './options.js';

/** Start the host that runs `plan`; it is running (workers online) when this resolves. */
export async function startHost(plan: ClusterPlan, options: ClusterOptions): Promise<HostTransport> {
  const storageBytes = options.storageBytes ?? CLUSTER_DEFAULTS.storageBytes;
  if (options.simulation) {
    const { seed, latencyMs, network } = options.simulation;
    return startSimCluster(plan, {
      seed,
      behaviors: BEHAVIORS,
      ...(latencyMs ? { latencyMs } : {}),
      ...(network ? { network } : {}),
      storageBytes,
    });
  }
  return ThreadTransport.start(plan, BEHAVIORS, {
    placement: options.threads ?? CLUSTER_DEFAULTS.threads,
    storage: {
      mode: options.home ? 'disk' : 'memory',
      ...(options.home ? { home: options.home } : {}),
      storageBytes,
      ringBytes: options.ringBytes ?? CLUSTER_DEFAULTS.ringBytes,
    },
    produceRingBytes: options.produceRingBytes ?? CLUSTER_DEFAULTS.produceRingBytes,
    heartbeatMs: options.heartbeatMs ?? CLUSTER_DEFAULTS.heartbeatMs,
    maxWorkers: options.maxWorkers ?? CLUSTER_DEFAULTS.maxWorkers,
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
  });
}

/** Connect to a cluster served over the Kafka protocol (a rivulet listener or any Kafka cluster). */
export function connectHost(opts: { brokers: string[]; token?: string; clientId?: string }): Promise<HostTransport> {
  return RemoteTransport.connect(opts);
}
