// Wrong passphrases, counted for the window and the terminal together: the first few are free, then each further try
// waits 5 s, doubling, at most 5 minutes. Counted in memory on the app's clock; a right passphrase starts over.
import { FREE_UNLOCK_ATTEMPTS } from '../../../shared/contract.ts'
import { InputError } from '../../core/errors.ts'

export const FIRST_WAIT_MS = 5_000
export const LONGEST_WAIT_MS = 5 * 60_000

export class UnlockAttempts {
  #failures = 0
  #retryAt: number | null = null

  get failures(): number {
    return this.#failures
  }

  /** No passphrase is checked before this time (null: any time). */
  get retryAt(): number | null {
    return this.#retryAt
  }

  /** Throws (field 'passphrase') while the wait after too many wrong passphrases runs; the try is not counted. */
  checkAllowed(now: number): void {
    if (this.#retryAt === null || now >= this.#retryAt) return
    const seconds = Math.ceil((this.#retryAt - now) / 1000)
    throw new InputError('passphrase', `Too many wrong passphrases: try again in ${seconds} s.`)
  }

  failed(now: number): void {
    this.#failures++
    const over = this.#failures - FREE_UNLOCK_ATTEMPTS
    this.#retryAt = over < 0 ? null : now + Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(over, 20))
  }

  reset(): void {
    this.#failures = 0
    this.#retryAt = null
  }
}
