/**
 * Golden cases for DescribeConfigs, InitProducerId, SaslHandshake and SaslAuthenticate.
 * @platformatic/kafka's DescribeConfigs v2 request writes IncludeDocumentation and its v2 response
 * decoder reads ConfigType/Documentation (v3+ fields both), so kafkajs is the only v2 source.
 */
import { kjDecodeResponse, kjRequestBody, kjRequire, pkDecodeResponse, pkRequestBody } from './libs.mjs';
import { big, bytes, range, thr } from './util.mjs';

const req = (api, v, source, theirs, body) => ({ id: `${api.name}.v${v}.request.${source}`, apiKey: api.key, version: v, kind: 'request', source, theirs, body });
const kjRes = (api, v, body, project) => ({
  id: `${api.name}.v${v}.response.kafkajs`, apiKey: api.key, version: v, kind: 'response', source: 'kafkajs',
  body, decode: (b) => kjDecodeResponse(api.kj, v, b), project,
});
const pkRes = (api, v, body, project = (d) => d) => ({
  id: `${api.name}.v${v}.response.platformatic`, apiKey: api.key, version: v, kind: 'response', source: 'platformatic',
  body, decode: (b) => pkDecodeResponse(`${api.pk}-v${v}`, api.key, v, b), project,
});

const DC = { name: 'DescribeConfigs', key: 32, kj: 'describeConfigs', pk: 'admin/describe-configs' };
const dcResBody = { throttleTimeMs: 0, results: [{
  errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 'orders', configs: [
    { name: 'retention.ms', value: '604800000', readOnly: false, isDefault: false, configSource: 1, isSensitive: false,
      synonyms: [{ name: 'retention.ms', value: '604800000', source: 1 }], configType: 5, documentation: null },
    { name: 'sasl.password', value: null, readOnly: true, isDefault: true, configSource: 5, isSensitive: true,
      synonyms: [], configType: 2, documentation: 'secret' },
  ],
}] };
export const describeConfigsCases = () => [
  ...range(0, 2).map((v) => req(DC, v, 'kafkajs',
    () => kjRequestBody('describeConfigs', v, { includeSynonyms: true, resources: [{ type: 2, name: 'orders', configNames: ['retention.ms'] }, { type: 4, name: '1' }] }),
    { ...(v >= 1 ? { includeSynonyms: true } : {}), resources: [
      { resourceType: 2, resourceName: 'orders', configurationKeys: ['retention.ms'] }, { resourceType: 4, resourceName: '1', configurationKeys: null },
    ] })),
  ...range(3, 4).map((v) => req(DC, v, 'platformatic',
    () => pkRequestBody(`admin/describe-configs-v${v}`, [[{ resourceType: 2, resourceName: 'orders', configurationKeys: null }], false, true]),
    { includeSynonyms: false, includeDocumentation: true, resources: [{ resourceType: 2, resourceName: 'orders', configurationKeys: null }] })),
  ...range(0, 2).map((v) => kjRes(DC, v, dcResBody, (d) => ({
    throttleTimeMs: thr(d),
    results: d.resources.map((r) => ({
      errorCode: r.errorCode, errorMessage: r.errorMessage, resourceType: r.resourceType, resourceName: r.resourceName,
      configs: r.configEntries.map((c) => ({
        name: c.configName, value: c.configValue, readOnly: c.readOnly, isSensitive: c.isSensitive,
        // v0 carries isDefault (kafkajs derives configSource); v1+ carry configSource (kafkajs derives isDefault).
        ...(v === 0 ? { isDefault: c.isDefault } : { configSource: c.configSource }),
        synonyms: c.configSynonyms?.map((s) => ({ name: s.configName, value: s.configValue, source: s.configSource })),
      })),
    })),
  }))),
  ...range(3, 4).map((v) => pkRes(DC, v, dcResBody)),
];

const IP = { name: 'InitProducerId', key: 22, kj: 'initProducerId', pk: 'producer/init-producer-id' };
const ipResBody = { throttleTimeMs: 0, errorCode: 0, producerId: 1000n, producerEpoch: 2 };
export const initProducerIdCases = () => [
  ...range(0, 1).map((v) => req(IP, v, 'kafkajs', () => kjRequestBody('initProducerId', v, { transactionalId: null, transactionTimeout: 60000 }),
    { transactionalId: null, transactionTimeoutMs: 60000 })),
  ...range(3, 4).map((v) => req(IP, v, 'platformatic', () => pkRequestBody(`producer/init-producer-id-v${v}`, ['tx-1', 30000, 77n, 3]),
    { transactionalId: 'tx-1', transactionTimeoutMs: 30000, producerId: 77n, producerEpoch: 3 })),
  ...range(0, 1).map((v) => kjRes(IP, v, ipResBody, (d) => ({
    throttleTimeMs: thr(d), errorCode: d.errorCode, producerId: big(d.producerId), producerEpoch: d.producerEpoch,
  }))),
  ...range(3, 4).map((v) => pkRes(IP, v, ipResBody)),
];

const SH = { name: 'SaslHandshake', key: 17, kj: 'saslHandshake', pk: 'security/sasl-handshake' };
const SA = { name: 'SaslAuthenticate', key: 36, kj: 'saslAuthenticate', pk: 'security/sasl-authenticate' };
const PLAIN = '\u0000rivulet\u0000s3cret';
const plainToken = async () => (await kjRequire('protocol/sasl/plain/request.js')({ username: 'rivulet', password: 's3cret' }).encode());
export const saslCases = () => [
  ...range(0, 1).map((v) => req(SH, v, 'kafkajs', () => kjRequestBody('saslHandshake', v, { mechanism: 'PLAIN' }), { mechanism: 'PLAIN' })),
  req(SH, 1, 'platformatic', () => pkRequestBody('security/sasl-handshake-v1', ['SCRAM-SHA-256']), { mechanism: 'SCRAM-SHA-256' }),
  ...range(0, 1).map((v) => kjRes(SH, v, { errorCode: 33, mechanisms: ['PLAIN'] }, (d) => ({ errorCode: d.errorCode, mechanisms: d.enabledMechanisms }))),
  {
    ...pkRes(SH, 1, { errorCode: 0, mechanisms: ['PLAIN', 'SCRAM-SHA-512'] }),
    id: 'SaslHandshake.v1.response.platformatic',
  },
  // kafkajs hands SaslAuthenticate a PLAIN token already wrapped in an int32 length (its BYTES encoding).
  ...range(0, 1).map((v) => req(SA, v, 'kafkajs', async () => kjRequestBody('saslAuthenticate', v, { authBytes: await plainToken() }), { authBytes: bytes(PLAIN) })),
  req(SA, 2, 'platformatic', () => pkRequestBody('security/sasl-authenticate-v2', [Buffer.from(PLAIN)]), { authBytes: bytes(PLAIN) }),
  ...range(0, 1).map((v) => kjRes(SA, v, { errorCode: 58, errorMessage: 'Authentication failed', authBytes: bytes('x'), sessionLifetimeMs: 3600000n }, (d) => ({
    errorCode: d.errorCode, errorMessage: d.errorMessage, authBytes: new Uint8Array(d.authBytes.subarray(4)), sessionLifetimeMs: big(d.sessionLifetimeMs),
  }))),
  pkRes(SA, 2, { errorCode: 0, errorMessage: null, authBytes: new Uint8Array(0), sessionLifetimeMs: 0n }),
];
