/**
 * Network partitions: which messages cross a cut (actor ids → nodes).
 */
import { describe, it, expect } from 'vitest';
import { LinkCuts, nodeOf } from '../../src/runtime/link-cuts.js';

describe('LinkCuts', () => {
  it('maps actor ids to nodes', () => {
    expect(nodeOf('sc')).toBe(0);
    expect(nodeOf('spu-12')).toBe(12);
    expect(nodeOf('replica:orders:3@7')).toBe(7);
    expect(nodeOf('client:main')).toBe(-1);
  });

  it('drops exactly the messages that cross a cut SPU', () => {
    const c = new LinkCuts();
    expect(c.blocks('sc', 'spu-1')).toBe(false);
    c.set([2]);
    expect(c.blocks('spu-2', 'sc')).toBe(true);
    expect(c.blocks('sc', 'replica:t:0@2')).toBe(true);
    expect(c.blocks('replica:t:0@1', 'replica:t:0@2')).toBe(true);
    expect(c.blocks('client:main', 'replica:t:0@2')).toBe(true);
    expect(c.blocks('spu-2', 'replica:t:0@2')).toBe(false); // inside the SPU
    expect(c.blocks('spu-1', 'sc')).toBe(false);
    c.set([1, 2]);
    expect(c.blocks('replica:t:0@1', 'replica:t:0@2')).toBe(true);
    c.set([]);
    expect(c.active).toBe(false);
    expect(c.blocks('spu-2', 'sc')).toBe(false);
  });
});
