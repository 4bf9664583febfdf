import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from './ports.ts';

/**
 * The wall clock. `timeScale` shrinks waits (0.01 turns a 60 s Wait into 0.6 s; 0 never waits),
 * so the emulator can run long workflows quickly; `now()` is always real time.
 */
export function systemClock(timeScale = 1): Clock {
  return {
    now: () => new Date(),
    async sleep(ms, signal) {
      const scaled = ms * timeScale;
      if (scaled <= 0) {
        signal?.throwIfAborted();
        return;
      }
      await sleep(scaled, undefined, { signal });
    },
  };
}
