// Runs async steps one after another, so a step that awaits (encryption, a re-read) cannot interleave with
// another that changes the same state. A failed step does not stop the ones queued after it.
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve()

  run<T>(step: () => Promise<T> | T): Promise<T> {
    const result = this.#tail.then(step)
    this.#tail = result.catch(() => undefined)
    return result
  }

  /** Resolves once everything queued so far has finished. */
  idle(): Promise<void> {
    return this.run(() => undefined)
  }
}
