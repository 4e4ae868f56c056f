// What a person is told when something they asked for outside the window (a tray click) failed: there is no window
// to answer in, so a desktop notification says what failed and why. The reason is Larder's own words for the
// failure's kind, never the error's message (it may quote a server) and never a secret.
import type { BridgeErrorShape, CopyFormat } from '../../../shared/contract.ts'
import type { Notice } from './notification-policy.ts'
import { displayName, failurePhrase } from './status-words.ts'

export type DesktopAction = { readonly kind: 'copy'; readonly format: CopyFormat } | { readonly kind: 'refresh' }

/** The parts of a refusal a notice may use: its kinds and field, not its message. */
export type ActionRefusal = Pick<BridgeErrorShape, 'kind' | 'apiKind' | 'field'>

const COPIED: Readonly<Record<CopyFormat, string>> = {
  token: 'the token',
  header: 'the Authorization header',
  env: 'the environment line',
  curl: 'the curl command'
}

/** `library` is the library's id and name as the tray last showed it (null when it is no longer known). */
export function actionFailedNotice(action: DesktopAction, library: { readonly id: string; readonly name: string } | null, refusal: ActionRefusal): Notice {
  const name = library === null ? 'a library' : displayName(library.name)
  const title = action.kind === 'copy' ? `Could not copy ${COPIED[action.format]} of ${name}` : `Could not refresh ${name}`
  const open = library === null ? 'Click to open Larder.' : 'Click to open it in Larder.'
  return { type: 'action', libraryId: library?.id ?? null, title, body: `${reasonFor(refusal)}. ${open}`, silent: false }
}

function reasonFor(refusal: ActionRefusal): string {
  switch (refusal.kind) {
    case 'api':
      // Not Apicbase's refusal but Larder's: a personal token's active library was changed outside Larder.
      if (refusal.apiKind === 'library_drift') return "The personal token's active library was changed outside Larder: switch back in Larder first"
      return failurePhrase(refusal.apiKind)
    case 'not_found':
    case 'invalid_input':
      return refusal.field === 'id' || refusal.field === 'libraryId' ? 'Larder no longer has this library' : 'Open Larder to see why'
    case 'vault':
      return 'Larder could not use its vault (it may be locked)'
    case 'locked':
      return 'Larder is locked: unlock it first'
    case 'internal':
      return 'Larder hit an unexpected problem'
  }
}
