/**
 * One cluster per home at a time: an embedded cluster started with `home` holds
 * `<home>/run/lock` (its pid) until shutdown. A second start on the same home is refused with a
 * clear error instead of two processes writing the same segment files; a lock left by a process
 * that died (kill -9) is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import { processAlive as alive } from './run-file.js';


export class HomeLock {
  private constructor(private readonly file: string) {}

  static acquire(home: string): HomeLock {
    const file = path.join(home, 'run', 'lock');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
        return new HomeLock(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
        if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) {
          throw new RivuletError(ErrorCode.INVALID_CONFIG, `the cluster home ${home} is in use by process ${pid}; shut that cluster down first`, { home, pid });
        }
        if (pid === process.pid) {
          throw new RivuletError(ErrorCode.INVALID_CONFIG, `the cluster home ${home} is already in use by a cluster in this process`, { home });
        }
        fs.rmSync(file, { force: true }); // stale: its process is gone
      }
    }
    throw new RivuletError(ErrorCode.INVALID_CONFIG, `could not lock the cluster home ${home}`, { home });
  }

  release(): void {
    fs.rmSync(this.file, { force: true });
  }
}
