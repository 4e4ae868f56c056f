// Putting a secret on the clipboard responsibly: marked so clipboard managers and cloud sync leave it alone,
// cleared after a delay, but only when the clipboard still holds what we put there (the person may have
// copied something else since). We keep a keyed fingerprint of the value, not the value itself.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { MAX_TIMER_MS, systemClock, type Clock, type TimerHandle } from '../time/clock.ts'

/** A platform clipboard format written next to the text to say "this is a secret". */
export interface SensitiveMarker {
  readonly format: string
  readonly data: string | Uint8Array
}

/** A DWORD of 0: Windows reads it as "no" for the Can… formats. */
const DWORD_ZERO = new Uint8Array(4)

/**
 * The conventions per platform:
 * - Windows: `ExcludeClipboardContentFromMonitorProcessing` (clipboard monitors skip it; presence is what counts),
 *   `CanIncludeInClipboardHistory` = 0 (Win+V history) and `CanUploadToCloudClipboard` = 0 (cross-device sync).
 * - macOS: `org.nspasteboard.ConcealedType` (nspasteboard.org; readers look at its presence, not its data).
 * - Linux: `x-kde-passwordManagerHint` = `secret` (Klipper and the managers that follow it).
 */
export function sensitiveMarkers(platform: string): readonly SensitiveMarker[] {
  switch (platform) {
    case 'win32':
      return [
        { format: 'ExcludeClipboardContentFromMonitorProcessing', data: DWORD_ZERO },
        { format: 'CanIncludeInClipboardHistory', data: DWORD_ZERO },
        { format: 'CanUploadToCloudClipboard', data: DWORD_ZERO }
      ]
    case 'darwin':
      // Non-empty on purpose: some clipboard writers drop empty payloads, and readers ignore the data.
      return [{ format: 'org.nspasteboard.ConcealedType', data: 'secret' }]
    case 'linux':
    case 'freebsd':
    case 'openbsd':
      return [{ format: 'x-kde-passwordManagerHint', data: 'secret' }]
    default:
      return []
  }
}

/** What the clipboard adapter provides. */
export interface SecretClipboardPort {
  /** Writes the text and the markers in one operation, so no format can replace another. */
  writeSecret(text: string, markers: readonly SensitiveMarker[]): Promise<void>
  readText(): Promise<string>
  clear(): Promise<void> | void
}

export interface SecretClipboardOptions {
  readonly port: SecretClipboardPort
  readonly platform: string
  readonly clock?: Clock
  /** A write or clear that failed; the write also rejects `written`. */
  readonly onError?: (error: unknown) => void
}

export interface CopyOptions {
  /** Clear after this long; 0 (or less) means never. Longer than Node's timer limit is clamped to it. */
  readonly clearAfterMs: number
}

export interface CopyResult {
  /** When the clipboard will be cleared, if it still holds this value; null when it will not be. */
  readonly clearsAt: number | null
  /** Settles when the value is on the clipboard; rejects when the write failed. */
  readonly written: Promise<void>
}

export class SecretClipboard {
  readonly #port: SecretClipboardPort
  readonly #markers: readonly SensitiveMarker[]
  readonly #clock: Clock
  readonly #onError: (error: unknown) => void
  /** A key for this process only, so the fingerprint says nothing about the value to anyone else. */
  readonly #key = randomBytes(32)
  #fingerprint: Buffer | null = null
  #generation = 0
  #timer: TimerHandle | null = null
  /** Clipboard operations run one after another: a clear never overtakes the write it is meant to undo. */
  #queue: Promise<unknown> = Promise.resolve()

  constructor(options: SecretClipboardOptions) {
    this.#port = options.port
    this.#markers = sensitiveMarkers(options.platform)
    this.#clock = options.clock ?? systemClock
    this.#onError = options.onError ?? (() => {})
  }

  copySecret(text: string, options: CopyOptions): CopyResult {
    if (typeof text !== 'string' || text === '') throw new TypeError('copySecret needs a non-empty text')
    this.#cancelTimer()
    const generation = ++this.#generation
    this.#fingerprint = this.#fingerprintOf(text)
    const delay = Number.isFinite(options.clearAfterMs) && options.clearAfterMs > 0 ? Math.min(options.clearAfterMs, MAX_TIMER_MS) : 0
    const written = this.#enqueue(() => this.#port.writeSecret(text, this.#markers))
    // Reported here as well, so a caller that does not wait for the write leaves no unhandled rejection.
    written.catch(this.#onError)
    if (delay === 0) return { clearsAt: null, written }
    const timer = this.#clock.setTimeout(() => {
      if (this.#timer === timer) this.#timer = null
      this.#enqueue(() => this.#clearIfOurs(generation)).catch(this.#onError)
    }, delay)
    timer.unref?.()
    this.#timer = timer
    return { clearsAt: this.#clock.now() + delay, written }
  }

  /** On quit: clears now if the clipboard still holds our value. Answers whether it cleared. */
  clearNow(): Promise<boolean> {
    this.#cancelTimer()
    if (this.#fingerprint === null) return Promise.resolve(false)
    const generation = this.#generation
    return this.#enqueue(() => this.#clearIfOurs(generation))
  }

  /** Whether a value of ours may still be on the clipboard. */
  get holdsSecret(): boolean {
    return this.#fingerprint !== null
  }

  async #clearIfOurs(generation: number): Promise<boolean> {
    if (generation !== this.#generation || this.#fingerprint === null) return false
    const expected = this.#fingerprint
    const current = await this.#port.readText()
    if (generation !== this.#generation) return false
    this.#fingerprint = null
    if (!timingSafeEqual(this.#fingerprintOf(current), expected)) return false
    await this.#port.clear()
    return true
  }

  #fingerprintOf(text: string): Buffer {
    return createHmac('sha256', this.#key).update(text, 'utf8').digest()
  }

  #enqueue<T>(operation: () => Promise<T> | T): Promise<T> {
    const result = this.#queue.then(operation)
    this.#queue = result.catch(() => undefined)
    return result
  }

  #cancelTimer(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer)
    this.#timer = null
  }
}
