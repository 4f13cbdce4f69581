/**
 * The typed errors a replica answers clients and followers with, as plain data (they cross
 * threads): not the leader (NOT_LEADER, retriable: the client refreshes metadata), and acks=all
 * while the SC's in-sync set is below the topic's minInSyncReplicas (NOT_ENOUGH_REPLICAS,
 * retriable: the set grows back as followers catch up).
 */
import { RivuletError, ErrorCode, toPlainError, type PlainError } from '../../src/runtime/errors.js';

export function notLeaderError(spuId: number, topic: string, partition: number, leader: number): PlainError {
  return toPlainError(new RivuletError(ErrorCode.NOT_LEADER, `SPU ${spuId} is not the leader of ${topic}/${partition}`, { leader }));
}

export function notEnoughReplicasError(topic: string, partition: number, minInSync: number, isr: number[]): PlainError {
  return toPlainError(new RivuletError(
    ErrorCode.NOT_ENOUGH_REPLICAS, `${topic}/${partition} has ${isr.length} replica(s) in sync, fewer than minInSyncReplicas=${minInSync}`, { isr, minInSync },
  ));
}
