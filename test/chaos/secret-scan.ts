// Finding secrets in clear without handing them around. The Larder process reports a fingerprint (and the
// length) of every token it receives; the chaos run searches every file for any run of characters whose
// fingerprint matches. Tokens and client secrets issued by the sandbox are alphanumeric, so a secret written
// in clear is a window of an alphanumeric run, and every such window of a known length is fingerprinted.
import { createHash } from 'node:crypto'

const CONTEXT = 'larder-chaos-secret-v1\u0000'
const ALPHANUMERIC_RUN = /[A-Za-z0-9]+/g
const SCANNABLE = /^[A-Za-z0-9]+$/

/** A one-way fingerprint of a secret; safe to print. */
export function secretFingerprint(secret: string): string {
  return createHash('sha256').update(CONTEXT).update(secret, 'utf8').digest('hex').slice(0, 32)
}

/** Whether the scanner can find this secret (an alphanumeric string). */
export function scannable(secret: string): boolean {
  return SCANNABLE.test(secret)
}

export class SecretIndex {
  readonly #byLength = new Map<number, Set<string>>()
  #size = 0

  get size(): number {
    return this.#size
  }

  add(length: number, fingerprint: string): void {
    if (!Number.isInteger(length) || length < 8) throw new RangeError(`a secret of length ${length} cannot be searched for`)
    let set = this.#byLength.get(length)
    if (set === undefined) {
      set = new Set()
      this.#byLength.set(length, set)
    }
    if (set.has(fingerprint)) return
    set.add(fingerprint)
    this.#size++
  }

  /** Returns false (and adds nothing) for a secret the scanner could not find. */
  addSecret(secret: string): boolean {
    if (!scannable(secret)) return false
    this.add(secret.length, secretFingerprint(secret))
    return true
  }

  /** The fingerprints of every known secret that occurs in `text`. */
  findIn(text: string): Set<string> {
    const found = new Set<string>()
    if (this.#size === 0) return found
    const lengths = [...this.#byLength.keys()]
    const shortest = Math.min(...lengths)
    for (const match of text.matchAll(ALPHANUMERIC_RUN)) {
      const run = match[0]
      if (run.length < shortest) continue
      for (const length of lengths) {
        const wanted = this.#byLength.get(length)
        if (wanted === undefined || run.length < length) continue
        for (let i = 0; i + length <= run.length; i++) {
          const fingerprint = secretFingerprint(run.slice(i, i + length))
          if (wanted.has(fingerprint)) found.add(fingerprint)
        }
      }
    }
    return found
  }
}
