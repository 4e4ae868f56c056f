// The agent has no clipboard: a token goes to a script through `larder token` or `larder exec`, never to a clipboard
// nobody is looking at.
import type { SecretSink } from '../core/larder-core.ts'

export class NoClipboardError extends Error {
  override readonly name = 'NoClipboardError'
}

export const noClipboard: SecretSink = {
  copySecret() {
    throw new NoClipboardError('The Larder agent has no clipboard: use `larder token LIB` or `larder exec`.')
  }
}
