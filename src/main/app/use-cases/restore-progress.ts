// A restore's progress as lines for `larder restore` (the endpoint's pending frames): how many backed-up pairs were
// checked at the API, then how many records written. At most one line a second while it moves, and the last line again
// every few seconds while it does not (a slow API, the file being opened), with the time so far, so the command, whose
// timeout counts silence, never takes a long restore for a dead one, and a person sees it is still going. Real time,
// not the app's clock: this is about a connection staying alive.
import type { RestoreProgress } from '../../core/estate/backup/restore.ts'

const AT_MOST_EVERY_MS = 1_000
export const RESTORE_HEARTBEAT_MS = 5_000

export class ProgressLines {
  readonly #send: (message: string) => void
  readonly #what: string
  readonly #heartbeat: ReturnType<typeof setInterval>
  #last: string
  #lastStep: RestoreProgress['step'] | null = null
  #sentAt = 0
  readonly #startedAt = Date.now()

  constructor(send: (message: string) => void, dryRun: boolean) {
    this.#send = send
    this.#what = dryRun ? 'Reading the backup' : 'Restoring'
    this.#last = `${this.#what}: opening the file…`
    this.#emit(this.#last)
    this.#heartbeat = setInterval(() => this.#emit(`${this.#last} (${Math.round((Date.now() - this.#startedAt) / 1000)} s)`), RESTORE_HEARTBEAT_MS)
    this.#heartbeat.unref()
  }

  readonly sink = (progress: RestoreProgress): void => {
    const { step, done, total } = progress
    if (total === 0) return
    const what = step === 'checking' ? `backed-up ${total === 1 ? 'pair' : 'pairs'} checked at the API` : `${total === 1 ? 'library' : 'libraries'} written`
    this.#last = `${this.#what}: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} ${what}`
    // A new step, the last of one, or a second since the last line: said now. Otherwise the heartbeat says it.
    if (step !== this.#lastStep || done === total || Date.now() - this.#sentAt >= AT_MOST_EVERY_MS) this.#emit(this.#last)
    this.#lastStep = step
  }

  stop(): void {
    clearInterval(this.#heartbeat)
  }

  #emit(message: string): void {
    this.#sentAt = Date.now()
    this.#send(message)
  }
}
