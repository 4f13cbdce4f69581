/**
 * Test helpers for the Kafka listener: an embedded cluster with its listener, torn down after.
 */
import { Cluster, type ClusterOptions } from '../../src/index.js';
import { backendOf } from '../../src/server/backend.js';
import { startListener, type ListenOptions, type Listener } from '../../src/server/listener.js';

export interface Served {
  cluster: Cluster;
  listener: Listener;
  bootstrap: string;
  stop(): Promise<void>;
}

export async function serve(opts: ClusterOptions = {}, listen: ListenOptions = {}): Promise<Served> {
  const cluster = await Cluster.start(opts);
  let listener: Listener;
  try {
    listener = await startListener(backendOf(cluster), listen);
  } catch (err) {
    await cluster.shutdown();
    throw err;
  }
  return {
    cluster,
    listener,
    bootstrap: `${listener.host}:${listener.port}`,
    async stop() {
      await listener.close();
      await cluster.shutdown();
    },
  };
}

/** kafkajs logs to the console by default; tests keep quiet. */
export const kafkajsQuiet = { logLevel: 0 } as const;
