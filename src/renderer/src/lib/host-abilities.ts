// What the host really does, as it says in app.info, so the page never claims more: where a copied token goes,
// whether starting an authorization opened the person's browser, and whether this is a demo.
import type { AppInfo } from '../../../shared/contract.ts'

/** Said after a copy in a host whose clipboard is a stand-in (the browser host keeps the text for its own tests). */
export const STAND_IN_CLIPBOARD_NOTE = 'It went to the browser host’s stand-in clipboard, not this computer’s: only the host’s own tests read it.'

/** On every screen of a demo: the word, and what it means here. */
export const DEMO_LABEL = 'Demo'
export const DEMO_MEANING = 'not your real vault; the API is a stand-in on this computer'

export function copiesToStandIn(info: AppInfo | null): boolean {
  return info?.clipboard === 'stand-in'
}

/** A host that did not say is taken at its kind: the desktop app opens the browser, the browser host does not. */
export function opensBrowser(info: AppInfo | null): boolean {
  return info?.opensBrowser ?? info?.host === 'electron'
}

export function isDemo(info: AppInfo | null): boolean {
  return info?.demo === true
}
