/**
 * Whole frames: size prefix, request header v1/v2, response header v0/v1 (ApiVersions always v0),
 * decodeRequest errors that keep the header, the KIP-511 ApiVersions fallback, and frames built
 * by kafkajs and @platformatic/kafka.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ApiKey, MESSAGES, ProtocolError, RivuletApiKey, SERVED_APIS, apiVersionsTable, apiVersionsUnsupportedResponse,
  decodeRequest, decodeResponse, encodeRequest, encodeResponse, requestHeaderVersion, responseHeaderVersion,
  type AnyApiKey,
} from '../../src/protocol/index.js';
import type { MessageSchema } from '../../src/protocol/schema-types.js';
import { bodyArb } from './arbitrary.js';
import { kjDecodeResponse, kjRequestFrame, pkWriter } from './golden/libs.mjs';
import { hex } from './golden/json.mjs';

const noPrefix = (frame: Uint8Array) => {
  expect(new DataView(frame.buffer, frame.byteOffset).getInt32(0)).toBe(frame.length - 4);
  return frame.subarray(4);
};

function caught(f: () => unknown): ProtocolError {
  try {
    f();
  } catch (e) {
    if (e instanceof ProtocolError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

const versions = SERVED_APIS.flatMap((a) =>
  Array.from({ length: a.maxVersion - a.minVersion + 1 }, (_, i) => [a.apiKey, a.minVersion + i] as const),
);

describe('request and response frames', () => {
  it.each(versions)('api %i v%i round-trips with its header', (apiKey, version) => {
    const m = MESSAGES[apiKey];
    fc.assert(
      fc.property(
        bodyArb(m.request as MessageSchema, version), bodyArb(m.response as MessageSchema, version),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.option(fc.string({ maxLength: 10 }), { nil: null }),
        (req, res, correlationId, clientId) => {
          const rf = encodeRequest(apiKey, version, correlationId, clientId, req as never);
          const d = decodeRequest(noPrefix(rf));
          expect(d.apiKey).toBe(apiKey);
          expect(d.header).toEqual({ apiKey, apiVersion: version, correlationId, clientId });
          expect(d.body).toEqual(req);
          const sf = encodeResponse(apiKey, version, correlationId, res as never);
          expect(decodeResponse(apiKey, version, noPrefix(sf))).toEqual({ correlationId, body: res });
          const frame = noPrefix(rf);
          for (let k = 0; k < frame.length; k++) expect(() => decodeRequest(frame.subarray(0, k))).toThrow(ProtocolError);
        },
      ),
      { numRuns: 3 },
    );
  });

  it('picks header versions from flexibility, ApiVersions responses always v0', () => {
    expect([requestHeaderVersion(ApiKey.Produce, 8), requestHeaderVersion(ApiKey.Produce, 9)]).toEqual([1, 2]);
    expect([responseHeaderVersion(ApiKey.Produce, 8), responseHeaderVersion(ApiKey.Produce, 9)]).toEqual([0, 1]);
    expect([requestHeaderVersion(ApiKey.ApiVersions, 3), responseHeaderVersion(ApiKey.ApiVersions, 3)]).toEqual([2, 0]);
    expect(responseHeaderVersion(ApiKey.SaslHandshake, 1)).toBe(0);
    expect(requestHeaderVersion(RivuletApiKey.Admin, 0)).toBe(1);
    // ApiVersions v3 response: correlation id, then the body straight away (errorCode), no tag byte.
    const f = encodeResponse(ApiKey.ApiVersions, 3, 5, { errorCode: 0, apiKeys: [] });
    expect(hex(f)).toBe('0000000c' + '00000005' + '0000' + '01' + '00000000' + '00');
    // A flexible response (Metadata v9): correlation id, then an empty header tag section.
    expect(hex(encodeResponse(ApiKey.Metadata, 9, 5, {})).slice(8, 18)).toBe('0000000500');
  });

  it('skips tagged fields in a v2 request header', () => {
    // Heartbeat v4: header v2 with one unknown header tag, then the body.
    const f = encodeRequest(ApiKey.Heartbeat, 4, 9, 'c', { groupId: 'g', generationId: 1, memberId: 'm' });
    const frame = noPrefix(f);
    const headerEnd = 2 + 2 + 4 + 2 + 1; // …, clientId 'c', then the tag count byte
    expect(frame[headerEnd]).toBe(0);
    const withTag = new Uint8Array([...frame.subarray(0, headerEnd), 1, 7, 2, 0xaa, 0xbb, ...frame.subarray(headerEnd + 1)]);
    expect(decodeRequest(withTag).body).toEqual(decodeRequest(frame).body);
  });
});

describe('decodeRequest errors keep the header', () => {
  const header = (apiKey: number, apiVersion: number) => {
    const b = new Uint8Array(11);
    const v = new DataView(b.buffer);
    v.setInt16(0, apiKey);
    v.setInt16(2, apiVersion);
    v.setInt32(4, 1234);
    v.setInt16(8, 1);
    b[10] = 0x78; // clientId 'x'
    return b;
  };

  it('UNKNOWN_API for a key we do not serve', () => {
    const e = caught(() => decodeRequest(header(23, 2)));
    expect(e.code).toBe('UNKNOWN_API');
    expect(e.header).toEqual({ apiKey: 23, apiVersion: 2, correlationId: 1234, clientId: 'x' });
  });

  it('UNSUPPORTED_VERSION below and above the served range, with the header', () => {
    for (const [k, v] of [[ApiKey.Produce, 2], [ApiKey.Produce, 10], [ApiKey.ApiVersions, 4], [ApiKey.Fetch, 3], [RivuletApiKey.Fault, 1]]) {
      const e = caught(() => decodeRequest(header(k!, v!)));
      expect(e.code).toBe('UNSUPPORTED_VERSION');
      expect(e.header).toMatchObject({ apiKey: k, apiVersion: v, correlationId: 1234 });
    }
  });

  it('MALFORMED body with the header; MALFORMED header without one', () => {
    const e = caught(() => decodeRequest(new Uint8Array([...header(ApiKey.SaslHandshake, 1), 0, 5, 0x41])));
    expect(e.code).toBe('MALFORMED');
    expect(e.header).toMatchObject({ apiKey: ApiKey.SaslHandshake, apiVersion: 1 });
    const h = caught(() => decodeRequest(header(ApiKey.Metadata, 1).subarray(0, 9)));
    expect(h.code).toBe('MALFORMED');
    expect(h.header).toBeUndefined();
  });

  it('never throws anything but ProtocolError on random frames', () => {
    fc.assert(
      fc.property(fc.constantFrom(...versions), fc.uint8Array({ maxLength: 40 }), ([k, v], tail) => {
        for (const frame of [tail, new Uint8Array([...header(k, v), ...tail])]) {
          try {
            decodeRequest(frame);
          } catch (e) {
            if (!(e instanceof ProtocolError)) throw e;
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('ApiVersions', () => {
  it('advertises every served key, rivulet private keys included', () => {
    const table = apiVersionsTable();
    expect(table.map((t) => t.apiKey)).toEqual(SERVED_APIS.map((a) => a.apiKey));
    expect(table).toContainEqual({ apiKey: RivuletApiKey.PartitionList, minVersion: 0, maxVersion: 0 });
    expect(table).toContainEqual({ apiKey: ApiKey.Fetch, minVersion: 4, maxVersion: 17 });
    expect(Math.min(...Object.values(RivuletApiKey))).toBeGreaterThan(Math.max(...Object.values(ApiKey)));
  });

  it('KIP-511 fallback: a v0 body with UNSUPPORTED_VERSION and the ApiVersions range', async () => {
    const f = apiVersionsUnsupportedResponse(77);
    expect(hex(f)).toBe('00000010' + '0000004d' + '0023' + '00000001' + '0012' + '0000' + '0003');
    expect(decodeResponse(ApiKey.ApiVersions, 0, noPrefix(f))).toEqual({
      correlationId: 77, body: expect.objectContaining({ errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }] }),
    });
    // kafkajs reads error 35 as "retry with a lower version".
    await expect(kjDecodeResponse('apiVersions', 0, f.subarray(8))).rejects.toMatchObject({ type: 'UNSUPPORTED_VERSION' });
  });
});

describe('frames built by the client libraries', () => {
  it('kafkajs request frames (header v1) decode and re-encode byte for byte', async () => {
    const cases: [string, number, AnyApiKey, object][] = [
      ['metadata', 6, ApiKey.Metadata, { topics: ['orders'], allowAutoTopicCreation: true }],
      ['apiVersions', 2, ApiKey.ApiVersions, {}],
      ['heartbeat', 3, ApiKey.Heartbeat, { groupId: 'g', groupGenerationId: 3, memberId: 'm', groupInstanceId: null }],
    ];
    for (const [api, v, key, args] of cases) {
      const frame = await kjRequestFrame(api, v, args, 42, 'kafkajs-client');
      const d = decodeRequest(frame.subarray(4));
      expect(d.header).toEqual({ apiKey: key, apiVersion: v, correlationId: 42, clientId: 'kafkajs-client' });
      expect(hex(encodeRequest(key, v, 42, 'kafkajs-client', d.body as never))).toBe(hex(frame));
    }
  });

  it('@platformatic/kafka request frames (header v2, non-compact clientId) decode and re-encode', async () => {
    const Writer = await pkWriter();
    // As its connection.send() builds them: header, empty tag section, payload, size prefix.
    const w = Writer.create().appendInt16(18).appendInt16(3).appendInt32(1).appendString('plt-client', false).appendTaggedFields();
    w.appendString('plt').appendString('1.35.0').appendTaggedFields().prependLength();
    const frame = new Uint8Array(w.buffer);
    const d = decodeRequest(frame.subarray(4));
    expect(d.header).toEqual({ apiKey: 18, apiVersion: 3, correlationId: 1, clientId: 'plt-client' });
    expect(d.body).toEqual({ clientSoftwareName: 'plt', clientSoftwareVersion: '1.35.0' });
    expect(hex(encodeRequest(ApiKey.ApiVersions, 3, 1, 'plt-client', d.body))).toBe(hex(frame));
  });
});
