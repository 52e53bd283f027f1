import { describe, expect, it } from 'vitest';
import { cryptoUniform, geometricNoise, laplaceNoise } from './noise.js';

const N = 40_000;
const stats = (xs: number[]) => {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
  return { mean, variance };
};

describe('noise from a cryptographic source', () => {
  it('draws uniforms strictly inside (0, 1), spread evenly', () => {
    const us = Array.from({ length: N }, () => cryptoUniform());
    expect(us.every((u) => u > 0 && u < 1)).toBe(true);
    const deciles = new Array<number>(10).fill(0);
    for (const u of us) deciles[Math.floor(u * 10)] = (deciles[Math.floor(u * 10)] ?? 0) + 1;
    // Each decile's count has a standard deviation of 60 (binomial, N = 40,000, p = 0.1):
    // 360 is 6 of them, so a fair source fails this about once in 10^8 runs.
    for (const d of deciles) expect(Math.abs(d - N / 10)).toBeLessThan((N / 10) * 0.09);
  });

  it('gives Laplace noise of scale b: mean 0, variance 2b², P(|x| > b) = 1/e', () => {
    const b = 4;
    const xs = Array.from({ length: N }, () => laplaceNoise(b));
    const { mean, variance } = stats(xs);
    expect(Math.abs(mean)).toBeLessThan(0.15);
    expect(variance / (2 * b * b)).toBeGreaterThan(0.9);
    expect(variance / (2 * b * b)).toBeLessThan(1.1);
    const beyond = xs.filter((x) => Math.abs(x) > b).length / N;
    expect(Math.abs(beyond - Math.exp(-1))).toBeLessThan(0.015);
    // Its median is 0: as many draws above as below.
    expect(Math.abs(xs.filter((x) => x > 0).length / N - 0.5)).toBeLessThan(0.015);
  });

  it('gives two-sided geometric noise: integers, P(0) = (1−α)/(1+α), variance 2α/(1−α)²', () => {
    const epsilon = 0.5;
    const alpha = Math.exp(-epsilon);
    const ks = Array.from({ length: N }, () => geometricNoise(epsilon));
    expect(ks.every(Number.isInteger)).toBe(true);
    const p0 = ks.filter((k) => k === 0).length / N;
    expect(Math.abs(p0 - (1 - alpha) / (1 + alpha))).toBeLessThan(0.015);
    const { mean, variance } = stats(ks);
    expect(Math.abs(mean)).toBeLessThan(0.1);
    const expected = (2 * alpha) / (1 - alpha) ** 2;
    expect(variance / expected).toBeGreaterThan(0.9);
    expect(variance / expected).toBeLessThan(1.1);
  });

  it('refuses scales and epsilons that are not positive', () => {
    expect(() => laplaceNoise(0)).toThrow(RangeError);
    expect(() => geometricNoise(-1)).toThrow(RangeError);
  });
});
