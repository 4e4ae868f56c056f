// Quitting, in one order and by one path. Electron's 'before-quit' is where every quit starts (tray, menu, Cmd+Q,
// the last window closing, the OS); each one is held, and the first starts the sequence: clear the clipboard if it
// still holds the token Larder put there, close the app (which waits for refreshes in flight to be written), then
// exit. `app.exit` emits no second 'before-quit', so nothing can let the process go half-way through.
import { app } from 'electron'

export interface QuitSequence {
  /** Clears the clipboard if it still holds what Larder copied (SecretClipboard.clearNow). */
  readonly clearClipboard: () => Promise<unknown>
  /** Lets refreshes in flight finish writing their new pairs, then closes vault and audit trail (LarderApp.close). */
  readonly close: () => Promise<void>
  /** A step that failed; the sequence goes on (a failed close exits with 1). */
  readonly onError?: (step: 'clipboard' | 'close', error: unknown) => void
  /** A clipboard another program holds must not keep Larder open: given up after this long. Default 500 ms. */
  readonly clipboardTimeoutMs?: number
}

/** Takes over quitting. Returns a disposer (tests). */
export function quitInOrder(sequence: QuitSequence): () => void {
  let running: Promise<void> | null = null
  const onBeforeQuit = (event: Electron.Event): void => {
    event.preventDefault()
    running ??= run(sequence)
  }
  app.on('before-quit', onBeforeQuit)
  return () => {
    app.removeListener('before-quit', onBeforeQuit)
  }
}

async function run(sequence: QuitSequence): Promise<void> {
  const timeoutMs = sequence.clipboardTimeoutMs ?? 500
  let timer: NodeJS.Timeout | undefined
  const givenUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs)
  })
  try {
    await Promise.race([sequence.clearClipboard(), givenUp])
  } catch (error) {
    sequence.onError?.('clipboard', error)
  } finally {
    clearTimeout(timer)
  }
  let code = 0
  try {
    await sequence.close()
  } catch (error) {
    sequence.onError?.('close', error)
    code = 1
  }
  app.exit(code)
}
