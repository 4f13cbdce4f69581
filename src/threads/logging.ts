/**
 * pino behind the actors' structured logger: one child logger per actor (field `actor`),
 * created once. Silent unless a level is configured (library use stays quiet).
 */
import type { Logger } from 'pino';
import type { ActorLogger } from '../runtime/actor.js';

export function actorLoggers(base: Logger): (id: string) => ActorLogger {
  const cache = new Map<string, ActorLogger>();
  return (id) => {
    let l = cache.get(id);
    if (!l) {
      const c = base.child({ actor: id });
      l = { debug: (f, m) => c.debug(f, m), info: (f, m) => c.info(f, m), warn: (f, m) => c.warn(f, m), error: (f, m) => c.error(f, m) };
      cache.set(id, l);
    }
    return l;
  };
}
