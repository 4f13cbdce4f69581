/**
 * rivulet's own operations, on API keys above every Apache Kafka key (advertised in ApiVersions,
 * ignored by other clients): partition list with resolution and per-replica HW/LEO, SPU list with
 * each SPU's listener address, cluster shutdown, fault injection, and any SC admin op. Bodies are
 * UTF-8 JSON in a bytes field (keeping ±Infinity); answers carry a wire error code and message.
 *
 * Invariants: an op is validated before it reaches the cluster; an unknown op or fault is
 * INVALID_REQUEST; ClusterShutdown answers first and shuts down after the answer is written.
 */
import type { AdminOp, SpuInfo } from '../../../actors/messages.js';
import { wireJson } from '../../runtime/wire-json.js';
import type { GroupRequestBody } from '../../cluster/groups.js';
import { RivuletError, ErrorCode } from '../../runtime/errors.js';
import { FAULT_OPS, type FaultOp } from '../backend.js';
import type { RequestContext } from '../context.js';
import { Wire, wireError } from './errors.js';

const ADMIN_OPS: ReadonlySet<string> = new Set(['createTopic', 'deleteTopic', 'listTopics', 'listPartitions', 'listSpus', 'initProducerId', 'rebalanceLeaders']);

export interface RivuletReply {
  errorCode: number;
  errorMessage: string | null;
  payload: Uint8Array;
}

const encode = (v: unknown): Uint8Array => Buffer.from(wireJson.stringify(v ?? null), 'utf8');

function parse(payload: Uint8Array): Record<string, unknown> {
  let v: unknown;
  try {
    v = wireJson.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    throw new RivuletError(ErrorCode.INVALID_ARGUMENT, 'payload is not JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, 'payload must be a JSON object');
  return v as Record<string, unknown>;
}

async function run(fn: () => Promise<unknown>, rc: RequestContext): Promise<RivuletReply> {
  try {
    return { errorCode: Wire.NONE, errorMessage: null, payload: encode(await fn()) };
  } catch (err) {
    return { ...wireError(err, rc.server.log), payload: encode(err instanceof RivuletError ? { code: err.code, data: err.data } : null) };
  }
}

export function adminOp(rc: RequestContext, body: { payload: Uint8Array }): Promise<RivuletReply> {
  return run(async () => {
    const op = parse(body.payload);
    if (typeof op.op !== 'string' || !ADMIN_OPS.has(op.op)) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, `unknown admin op ${JSON.stringify(op.op)}`);
    if (op.op === 'listSpus') return spusWithAddresses(rc);
    const result = await rc.server.backend.admin(op as AdminOp);
    if (op.op === 'createTopic' || op.op === 'deleteTopic') rc.server.view.invalidate();
    return result;
  }, rc);
}

export function partitionList(rc: RequestContext): Promise<RivuletReply> {
  return run(() => rc.server.backend.admin({ op: 'listPartitions' }), rc);
}

/** The SC's SPU list with each SPU's listener address (host:port) as clients reach it. */
async function spusWithAddresses(rc: RequestContext): Promise<SpuInfo[]> {
  const spus = await rc.server.backend.admin<SpuInfo[]>({ op: 'listSpus' });
  const brokers = rc.server.brokers();
  return spus.map((s) => {
    const b = brokers.find((x) => x.nodeId === s.id);
    return { ...s, address: b ? `${b.host}:${b.port}` : s.address };
  });
}

export function spuList(rc: RequestContext): Promise<RivuletReply> {
  return run(() => spusWithAddresses(rc), rc);
}

export function fault(rc: RequestContext, body: { payload: Uint8Array }): Promise<RivuletReply> {
  return run(async () => {
    const f = parse(body.payload);
    if (typeof f.op !== 'string' || !(FAULT_OPS as readonly string[]).includes(f.op)) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, `unknown fault ${JSON.stringify(f.op)} (one of ${FAULT_OPS.join(', ')})`);
    if (typeof f.spuId !== 'number' || !Number.isInteger(f.spuId)) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, 'spuId must be an integer');
    await rc.server.backend.fault(f.op as FaultOp, f.spuId);
    rc.server.view.invalidate();
    return {};
  }, rc);
}

const GROUP_OPS: ReadonlySet<string> = new Set(['GroupJoin', 'GroupSync', 'GroupHeartbeat', 'GroupLeave', 'OffsetCommit', 'OffsetFetch', 'GroupList', 'GroupDescribe']);
/** Joins and syncs may be parked for a group's rebalance timeout; the client's own deadline rules. */
const GROUP_TIMEOUT_MS = 10 * 60_000;

/** A group-coordinator request from rivulet's own client (connect()'s group consumer). */
export function groupOp(rc: RequestContext, body: { payload: Uint8Array }): Promise<RivuletReply> {
  return run(async () => {
    const op = parse(body.payload);
    if (typeof op.type !== 'string' || !GROUP_OPS.has(op.type)) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, `unknown group request ${JSON.stringify(op.type)}`);
    return rc.server.backend.group(op as unknown as GroupRequestBody, GROUP_TIMEOUT_MS);
  }, rc);
}

/** Answers at once; the listener calls `onShutdown` after the answer is written. */
export async function clusterShutdown(rc: RequestContext): Promise<RivuletReply> {
  rc.server.log.info({ client: rc.clientId }, 'listener: cluster shutdown requested');
  return { errorCode: Wire.NONE, errorMessage: null, payload: encode({}) };
}
