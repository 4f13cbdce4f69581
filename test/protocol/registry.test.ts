/**
 * The served version table (what rivulet advertises) and the Kafka error-code table.
 */
import { describe, expect, it } from 'vitest';
import { ApiKey, KafkaErrorCode, RivuletApiKey, SERVED_APIS, apiInfo, kafkaErrorName } from '../../src/protocol/index.js';

describe('served APIs', () => {
  it('serves the agreed ranges (wide enough for kafkajs 2.2.4, librdkafka 2.x, @platformatic/kafka 1.35)', () => {
    const table = Object.fromEntries(SERVED_APIS.map((a) => [a.name, [a.minVersion, a.maxVersion, a.firstFlexibleVersion]]));
    expect(table).toEqual({
      Produce: [3, 9, 9], Fetch: [4, 17, 12], ListOffsets: [0, 7, 6], Metadata: [0, 12, 9],
      OffsetCommit: [0, 8, 8], OffsetFetch: [0, 8, 6], FindCoordinator: [0, 4, 3], JoinGroup: [0, 7, 6],
      Heartbeat: [0, 4, 4], LeaveGroup: [0, 4, 4], SyncGroup: [0, 5, 4], DescribeGroups: [0, 5, 5], ListGroups: [0, 4, 3],
      SaslHandshake: [0, 1, null], ApiVersions: [0, 3, 3], CreateTopics: [0, 7, 5], DeleteTopics: [0, 6, 4],
      InitProducerId: [0, 4, 2], DescribeConfigs: [0, 4, 4], SaslAuthenticate: [0, 2, 2], CreatePartitions: [0, 3, 2],
      RivuletPartitionList: [0, 0, null], RivuletSpuList: [0, 0, null], RivuletClusterShutdown: [0, 0, null],
      RivuletFault: [0, 0, null], RivuletAdmin: [0, 0, null], RivuletGroup: [0, 0, null],
    });
  });

  it('covers what @platformatic/kafka 1.35.0 picks (its highest implemented version within our range)', () => {
    // Versions it implements, from dist/apis/**: it uses the highest one the broker's range allows.
    const implemented: Record<number, number[]> = {
      [ApiKey.ApiVersions]: [3, 4], [ApiKey.Metadata]: [9, 10, 11, 12], [ApiKey.Produce]: [7, 8, 9, 10, 11],
      [ApiKey.Fetch]: [12, 13, 14, 15, 16, 17], [ApiKey.ListOffsets]: [5, 6, 7, 8, 9], [ApiKey.CreateTopics]: [7],
      [ApiKey.DeleteTopics]: [6], [ApiKey.CreatePartitions]: [1, 2, 3], [ApiKey.DescribeConfigs]: [2, 3, 4],
      [ApiKey.InitProducerId]: [3, 4, 5], [ApiKey.SaslHandshake]: [1], [ApiKey.SaslAuthenticate]: [2],
      [ApiKey.FindCoordinator]: [4, 5, 6], [ApiKey.JoinGroup]: [6, 7, 8, 9], [ApiKey.SyncGroup]: [4, 5],
      [ApiKey.Heartbeat]: [4], [ApiKey.LeaveGroup]: [4, 5], [ApiKey.OffsetCommit]: [8, 9], [ApiKey.OffsetFetch]: [8, 9],
      [ApiKey.DescribeGroups]: [5], [ApiKey.ListGroups]: [4, 5],
    };
    for (const [key, versions] of Object.entries(implemented)) {
      const a = apiInfo(Number(key))!;
      const picked = Math.max(...versions.filter((v) => v >= a.minVersion && v <= a.maxVersion));
      expect(picked, a.name).toBeGreaterThanOrEqual(a.minVersion);
    }
    // Fetch must reach 13: at 12 it writes its topic ids where the topic name belongs.
    expect(apiInfo(ApiKey.Fetch)!.maxVersion).toBeGreaterThanOrEqual(13);
  });

  it('keeps rivulet keys above every Apache Kafka key and within int16', () => {
    for (const k of Object.values(RivuletApiKey)) {
      expect(k).toBeGreaterThan(1000);
      expect(k).toBeLessThanOrEqual(0x7fff);
    }
  });
});

describe('Kafka error codes', () => {
  it('has the codes a server needs, with Kafka names, one name per code', () => {
    expect(KafkaErrorCode).toMatchObject({
      NONE: 0, OFFSET_OUT_OF_RANGE: 1, CORRUPT_MESSAGE: 2, UNKNOWN_TOPIC_OR_PARTITION: 3, LEADER_NOT_AVAILABLE: 5,
      NOT_LEADER_OR_FOLLOWER: 6, REQUEST_TIMED_OUT: 7, MESSAGE_TOO_LARGE: 10, INVALID_TOPIC_EXCEPTION: 17,
      RECORD_LIST_TOO_LARGE: 18, NOT_ENOUGH_REPLICAS: 19, INVALID_REQUIRED_ACKS: 21, ILLEGAL_GENERATION: 22,
      UNSUPPORTED_SASL_MECHANISM: 33, ILLEGAL_SASL_STATE: 34, UNSUPPORTED_VERSION: 35, TOPIC_ALREADY_EXISTS: 36,
      INVALID_PARTITIONS: 37, INVALID_REPLICATION_FACTOR: 38, INVALID_REQUEST: 42, CLUSTER_AUTHORIZATION_FAILED: 31,
      SASL_AUTHENTICATION_FAILED: 58, KAFKA_STORAGE_ERROR: 56, POLICY_VIOLATION: 44, OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
      DUPLICATE_SEQUENCE_NUMBER: 46, INVALID_CONFIG: 40, UNKNOWN_SERVER_ERROR: -1,
      NOT_COORDINATOR: 16, COORDINATOR_NOT_AVAILABLE: 15, UNKNOWN_MEMBER_ID: 25, REBALANCE_IN_PROGRESS: 27,
      INCONSISTENT_GROUP_PROTOCOL: 23, INVALID_SESSION_TIMEOUT: 26, MEMBER_ID_REQUIRED: 79, GROUP_ID_NOT_FOUND: 69,
    });
    const codes = Object.values(KafkaErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    expect(kafkaErrorName(35)).toBe('UNSUPPORTED_VERSION');
    expect(kafkaErrorName(9999)).toBeUndefined();
  });
});
