/** Small helpers shared by the golden case lists. */

export const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
/** kafkajs int64 strings → bigint; undefined stays undefined (field not decoded at that version). */
export const big = (s) => (s === undefined ? undefined : BigInt(s));
/** kafkajs reports throttle time as clientSideThrottleTime from the version Kafka started throttling client-side. */
export const thr = (d) => d.clientSideThrottleTime ?? d.throttleTime;
export const bytes = (s) => new Uint8Array(Buffer.from(s));
export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
export const UUID_A = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
export const UUID_B = 'a1b2c3d4-e5f6-4a0b-9c8d-7e6f5a4b3c2d';
export const T0 = 1700000000000;
