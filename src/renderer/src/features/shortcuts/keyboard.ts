// What the page-wide key handlers share: whether a key press is typing, and asking the shortcuts overlay to open
// (from "?" or the link under the list) without a store field for a dialog only the keyboard help uses.

/** The key press lands in a text field, a select or editable text: it is typing, not a shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

/** A dialog is open: the page behind it takes no shortcuts. */
export function dialogOpen(): boolean {
  return document.querySelector('dialog[open]') !== null
}

const SHOW_SHORTCUTS = 'larder:show-shortcuts'

export function showShortcuts(): void {
  document.dispatchEvent(new Event(SHOW_SHORTCUTS))
}

/** Calls `listener` whenever something asks for the overlay; answers the function that stops it. */
export function onShowShortcuts(listener: () => void): () => void {
  document.addEventListener(SHOW_SHORTCUTS, listener)
  return () => document.removeEventListener(SHOW_SHORTCUTS, listener)
}
