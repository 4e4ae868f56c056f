// Small pieces the three fakes share: opaque random strings, ids, and option checks.

import { randomInt } from 'node:crypto'
import { SandboxError } from '../model.ts'
import { cryptoTokenSource } from '../rng.ts'

export const DAY_MS = 24 * 60 * 60 * 1000

const randomString = cryptoTokenSource()

/** An unpredictable alphanumeric string (token values are never derived from a seed). */
export function opaque(length: number): string {
  return randomString(length)
}

/** An unpredictable alphanumeric string of a length drawn from [min, max]. */
export function opaqueOfVariableLength(min: number, max: number): string {
  return randomString(randomInt(min, max + 1))
}

export function randomId(prefix: string, length: number): string {
  return `${prefix}${randomString(length)}`
}

export function requireName(value: string, what: string): string {
  const trimmed = typeof value === 'string' ? value.trim() : ''
  if (trimmed === '') throw new SandboxError(`${what} needs a name`)
  return trimmed
}

export function requireTime(value: number, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new SandboxError(`${what} must be a finite time in ms`)
  return value
}

export function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${what} must be a positive integer`)
  return value
}

export function lookup<K, V>(map: ReadonlyMap<K, V>, key: K, what: string): V {
  const found = map.get(key)
  if (found === undefined) throw new SandboxError(`unknown ${what} '${String(key)}'`)
  return found
}
