// One queue per personal token: every switch, confirmation and operation of that token runs in it, one after
// another, so two operations aimed at different libraries never interleave. A failed step does not stop the next.
import { InputError } from '../errors.ts'

export class TokenQueue {
  readonly #max: number
  #tail: Promise<unknown> = Promise.resolve()
  #waiting = 0

  constructor(max: number) {
    this.#max = max
  }

  run<T>(name: string, step: () => Promise<T>): Promise<T> {
    if (this.#waiting >= this.#max) {
      throw new InputError('id', `${this.#max} operations are already waiting for the personal token of ${name}; try again when they are done`)
    }
    this.#waiting++
    const result = this.#tail.then(async () => {
      try {
        return await step()
      } finally {
        this.#waiting--
      }
    })
    this.#tail = result.catch(() => undefined)
    return result
  }

  /** Resolves once everything queued so far has run. */
  idle(): Promise<void> {
    return this.#tail.then(() => undefined)
  }
}
