/**
 * Every bound the Kafka listener enforces (DESIGN §8: "bounded everything"). Units in the names.
 * A frame over `maxFrameBytes` closes its connection before it is buffered; a connection past
 * `maxInFlightPerConnection` stops being read until answers drain; past `maxConnections` a new
 * socket is closed at once.
 */
export const SERVER_LIMITS = {
  /** Kafka's socket.request.max.bytes is 100 MiB; rivulet batches are ≤ 16 MiB. */
  maxFrameBytes: 64 << 20,
  maxInFlightPerConnection: 256,
  maxConnections: 1024,
  /** Unauthenticated connections must finish SASL within this. */
  authTimeoutMs: 10_000,
  /** Fetch long-poll cap (a client's MaxWaitMs above it is clamped). */
  maxFetchWaitMs: 30_000,
  /** Bytes per Fetch response when the client asks for more. */
  maxFetchResponseBytes: 32 << 20,
  /** How long the metadata view may be reused without a status event. */
  metadataMaxAgeMs: 1_000,
  /** Produce request timeout when the client sends 0 or less. */
  defaultProduceTimeoutMs: 30_000,
} as const;

export type ServerLimits = { -readonly [K in keyof typeof SERVER_LIMITS]: number };
