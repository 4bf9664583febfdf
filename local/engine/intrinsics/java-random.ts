/**
 * `java.util.Random`, bit for bit: Step Functions runs on the JVM, and a seeded `$random(42)`
 * returns 0.7275636800328681 on AWS, which is `new Random(42).nextDouble()`
 * (measured: https://github.com/floci-io/floci/issues/2662). A seed must give the same numbers
 * here as there, so the generator is Java's 48-bit linear congruential one, not a JS PRNG.
 */
export class JavaRandom {
  static readonly #multiplier = 0x5deece66dn;
  static readonly #mask = (1n << 48n) - 1n;
  #seed: bigint;

  /** `seed` is a Java long: a JSON number is truncated to an integer and wrapped to 64 bits. */
  constructor(seed: number) {
    const long = BigInt.asIntN(64, BigInt(Math.trunc(seed)));
    this.#seed = (long ^ JavaRandom.#multiplier) & JavaRandom.#mask;
  }

  #next(bits: number): number {
    this.#seed = (this.#seed * JavaRandom.#multiplier + 0xbn) & JavaRandom.#mask;
    return Number(BigInt.asIntN(32, this.#seed >> BigInt(48 - bits)));
  }

  /** A double in [0, 1), as `Random.nextDouble()`. */
  nextDouble(): number {
    return (this.#next(26) * 2 ** 27 + this.#next(27)) / 2 ** 53;
  }

  /** An int in [0, bound), as `Random.nextInt(int bound)`; `bound` is a positive int. */
  nextInt(bound: number): number {
    if ((bound & -bound) === bound) return Number((BigInt(bound) * BigInt(this.#next(31))) >> 31n);
    for (;;) {
      const bits = this.#next(31);
      const value = bits % bound;
      // Java rejects the last, incomplete stretch of 31-bit values (its int overflow test).
      if (bits - value + (bound - 1) <= 0x7fffffff) return value;
    }
  }
}
