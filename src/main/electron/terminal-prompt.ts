// The desktop side of a terminal's request: the window comes forward (its dialog asks) and a system notification
// says what asked, for a person who is in another app. A click on it brings the window; the notification goes
// once the request is answered, refused or timed out. No secret here: what asked, and from where.
import { Notification } from 'electron'
import type { TerminalRequestView } from '../../shared/contract.ts'
import type { TerminalPromptPort } from '../app/ports.ts'

export interface TerminalPromptOptions {
  /** Shows and focuses the window (window.ts revealWindow). */
  readonly reveal: () => void
}

/** "larder token Acme from pts/3, shell pid 4100". */
export function requestSummary(request: TerminalRequestView): string {
  const what = request.library === null ? `larder ${request.command}` : `larder ${request.command} ${request.library}`
  return `${what} from ${request.label}`
}

export function createTerminalPrompt(options: TerminalPromptOptions): TerminalPromptPort {
  // Kept until settled: a Notification that is garbage-collected loses its click handler.
  const shown = new Map<string, Notification>()
  return {
    ask(request) {
      options.reveal()
      if (!Notification.isSupported()) return
      const notification = new Notification({ title: 'Larder', body: `A terminal asks for a token: ${requestSummary(request)}. Allow or deny it in Larder.` })
      notification.on('click', () => options.reveal())
      notification.on('close', () => {
        if (shown.get(request.requestId) === notification) shown.delete(request.requestId)
      })
      shown.set(request.requestId, notification)
      notification.show()
    },
    settled(requestId) {
      const notification = shown.get(requestId)
      shown.delete(requestId)
      notification?.close()
    }
  }
}
