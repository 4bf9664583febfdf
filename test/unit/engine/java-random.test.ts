import { describe, expect, it } from '@jest/globals';
import { JavaRandom } from '../../../local/engine/intrinsics/java-random.ts';

// Each expected value was printed by java.util.Random itself (OpenJDK's jshell on this machine),
// e.g. `var r = new java.util.Random(42); r.nextDouble()`.
describe('JavaRandom', () => {
  it.each([
    [42, [0.7275636800328681, 0.6832234717598454]],
    [3, [0.731057369148862]],
  ])('nextDouble of seed %d is what Java gives', (seed, doubles) => {
    const random = new JavaRandom(seed);

    expect(doubles.map(() => random.nextDouble())).toEqual(doubles);
  });

  it('nextInt of a seed is what Java gives, for any bound and seed', () => {
    const cases: [number, number[], number[]][] = [
      [42, [10, 100, 1000], [0, 63, 248]],
      [0, [16], [11]],
      [-7, [999, 3, 64], [175, 0, 43]],
      [3, [999], [239]],
      // Just over 2^30: Java throws away about half of its draws for such a bound.
      [42, [1073741825, 1073741825, 1073741825, 1073741825], [117392763, 102948884, 662969970, 595021505]],
    ];

    for (const [seed, bounds, expected] of cases) {
      const random = new JavaRandom(seed);
      expect(bounds.map((bound) => random.nextInt(bound))).toEqual(expected);
    }
  });

  it('takes a seed beyond 32 bits as a Java long', () => {
    const random = new JavaRandom(1099511627781);

    expect([random.nextDouble(), random.nextInt(1000)]).toEqual([0.15630111972627536, 522]);
  });
});
