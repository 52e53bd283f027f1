import { randomBytes } from 'node:crypto';

/**
 * Differential-privacy noise from a cryptographic random source. `Math.random` is
 * predictable (xorshift state can be recovered from outputs), so noise drawn from it could
 * be subtracted; these draw 53 bits per uniform from `crypto.randomBytes`.
 */
export type Uniform = () => number;

/** A uniform in the open interval (0, 1), from 53 random bits. */
export const cryptoUniform: Uniform = () => {
  for (;;) {
    const b = randomBytes(8);
    const bits = (b.readUInt32BE(0) >>> 5) * 67_108_864 + (b.readUInt32BE(4) >>> 6);
    const u = bits / 9_007_199_254_740_992;
    if (u > 0) return u;
  }
};

/**
 * Laplace noise of scale `b` (density e^{-|x|/b} / 2b; variance 2b²), by inverting the CDF.
 * @throws RangeError when b is not positive and finite.
 */
export function laplaceNoise(b: number, uniform: Uniform = cryptoUniform): number {
  if (!(b > 0) || !Number.isFinite(b)) throw new RangeError('the Laplace scale must be positive');
  const u = uniform() - 0.5;
  return -b * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
}

/**
 * Two-sided geometric noise (the discrete Laplace) with P(k) ∝ α^{|k|}, α = e^{-ε/Δ}: the
 * integer mechanism for counts. Drawn as the difference of two geometric variables.
 * @throws RangeError when epsilon or the sensitivity is not positive.
 */
export function geometricNoise(
  epsilon: number,
  sensitivity = 1,
  uniform: Uniform = cryptoUniform,
): number {
  if (!(epsilon > 0) || !(sensitivity > 0)) {
    throw new RangeError('epsilon and the sensitivity must be positive');
  }
  const logAlpha = -epsilon / sensitivity;
  // Geometric on {0, 1, …} with P(k) = (1 − α) α^k: floor(ln U / ln α).
  const geometric = () => Math.floor(Math.log(uniform()) / logAlpha);
  return geometric() - geometric();
}

/** Clamps a value to `[lower, upper]`. */
export const clamp = (v: number, lower: number, upper: number) =>
  Math.min(upper, Math.max(lower, v));
