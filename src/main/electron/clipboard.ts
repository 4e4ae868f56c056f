// The clipboard adapter. Electron 45's clipboard is the asynchronous, W3C-shaped one: `clipboard.write()` takes
// ClipboardItems and commits every format of one call atomically. So the text and the "this is a secret" markers
// go in a single write: writing text first and markers after would replace the text on platforms where each
// write empties the clipboard, and markers first would be wiped by the text. Raw platform formats use Electron's
// `electron application/osclipboard;format="<name>"` custom format.
import { clipboard, ClipboardItem } from 'electron'
import { SecretClipboard, type SecretClipboardPort, type SensitiveMarker } from '../core/desktop/clipboard-policy.ts'
import type { Clock } from '../core/time/clock.ts'

export function rawFormat(name: string): string {
  return `electron application/osclipboard;format="${name}"`
}

function payload(data: SensitiveMarker['data']): string | Blob {
  return typeof data === 'string' ? data : new Blob([new Uint8Array(data)])
}

export const electronClipboardPort: SecretClipboardPort = {
  async writeSecret(text, markers) {
    const formats: Record<string, string | Blob> = { 'text/plain': text }
    for (const marker of markers) formats[rawFormat(marker.format)] = payload(marker.data)
    await clipboard.write([new ClipboardItem(formats)])
  },
  readText: () => clipboard.readText(),
  clear: () => clipboard.clear()
}

export interface SecretClipboardAdapterOptions {
  /** Defaults to `process.platform`: which markers to write. */
  readonly platform?: string
  readonly clock?: Clock
  readonly onError?: (error: unknown) => void
}

/**
 * The clipboard the core's `SecretSink` is: `copySecret(text, { clearAfterMs })`. On quit, quit.ts calls its
 * `clearNow()` before the app closes.
 */
export function createSecretClipboard(options: SecretClipboardAdapterOptions = {}): SecretClipboard {
  return new SecretClipboard({
    port: electronClipboardPort,
    platform: options.platform ?? process.platform,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.onError ? { onError: options.onError } : {})
  })
}
