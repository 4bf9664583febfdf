import { describe, expect, it } from '@jest/globals';
import { SharedTime } from '../../../local/metering/shared-time.ts';

describe('SharedTime', () => {
  it('counts real time while invocations fit the threads, and a share of it beyond', () => {
    // Prepare: one thread; a clock moved by hand.
    let now = 0;
    const time = new SharedTime(1, () => now);
    // Act: a runs alone for 100 ms, then b joins it for 200 ms, then a ends and b runs 50 ms more.
    const a = time.start();
    now = 100;
    const b = time.start();
    now = 300;
    const aloneA = time.end(a);
    now = 350;
    const aloneB = time.end(b);
    // Assess: a: 100 + 200 / 2; b: 200 / 2 + 50.
    expect(aloneA).toBe(200);
    expect(aloneB).toBe(150);
  });
});
