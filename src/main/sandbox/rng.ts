import { randomBytes, randomInt } from 'node:crypto'

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** Produces an opaque alphanumeric string of the given length. */
export type TokenSource = (length: number) => string

/** mulberry32: tiny, fast and good enough to make fixtures and fault dice reproducible per seed. */
export function createRng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Deterministic token strings for fixtures: the same seed prints the same credentials. */
export function seededTokenSource(seed: number): TokenSource {
  const rng = createRng(seed)
  return (length) => {
    let out = ''
    for (let i = 0; i < length; i++) out += ALPHANUMERIC[Math.floor(rng() * ALPHANUMERIC.length)]
    return out
  }
}

/**
 * Unpredictable token strings for everything issued at run time (rotations, codes, added
 * libraries): a seeded generator would make a rotated token guessable from the seed.
 */
export function cryptoTokenSource(): TokenSource {
  return (length) => {
    let out = ''
    while (out.length < length) {
      for (const byte of randomBytes(length * 2)) {
        // 248 = 4 * 62: rejecting the tail keeps every character equally likely.
        if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62]
      }
    }
    return out
  }
}

/** A seed for a run that was given none: a positive 31-bit integer, short enough to type back as --seed. */
export function randomSeed(): number {
  return randomInt(1, 2 ** 31)
}
