// Every keyboard shortcut Larder has, in one table: the key handlers ask it which action a key is, and the "?"
// overlay and the hint under the list are written from it, so what the help says and what the keys do cannot drift.
// Plain data, no DOM: a test checks that no handler reads a key without asking this table.

/** Where a shortcut works. */
export type ShortcutPlace = 'anywhere' | 'search' | 'list' | 'tabs' | 'dialog'

export type ShortcutAction =
  | 'focusSearch'
  | 'showShortcuts'
  | 'searchToResults'
  | 'clearSearch'
  | 'selectNext'
  | 'selectPrevious'
  | 'pageDown'
  | 'pageUp'
  | 'selectFirst'
  | 'selectLast'
  | 'openDetails'
  | 'closeDetails'
  | 'copyToken'
  | 'refreshNow'
  | 'closeDialog'
  | 'lockNow'
  | 'nextTab'
  | 'previousTab'
  | 'firstTab'
  | 'lastTab'

export interface Shortcut {
  readonly action: ShortcutAction
  readonly place: ShortcutPlace
  /** KeyboardEvent.key values, pressed without Ctrl, Alt or Meta (unless `command`). The first is the one shown. */
  readonly keys: readonly string[]
  /** Pressed with Ctrl (⌘ on a Mac): a command that works in a text field too, where a plain key is typing. */
  readonly command?: true
  /** What it does, as the overlay says it. */
  readonly does: string
  /** 'browser': the browser does it (a modal dialog's Escape); listed so the overlay is complete. */
  readonly handledBy: 'larder' | 'browser'
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'showShortcuts', place: 'anywhere', keys: ['?'], does: 'Show these keyboard shortcuts', handledBy: 'larder' },
  { action: 'focusSearch', place: 'anywhere', keys: ['/'], does: 'Go to the search box (Libraries page)', handledBy: 'larder' },
  { action: 'lockNow', place: 'anywhere', keys: ['l', 'L'], command: true, does: 'Lock Larder now (in a text field too)', handledBy: 'larder' },
  { action: 'searchToResults', place: 'search', keys: ['ArrowDown'], does: 'Move into the results, selecting the first match', handledBy: 'larder' },
  { action: 'clearSearch', place: 'search', keys: ['Escape'], does: 'Clear the search', handledBy: 'larder' },
  { action: 'selectNext', place: 'list', keys: ['ArrowDown'], does: 'Select the next library', handledBy: 'larder' },
  { action: 'selectPrevious', place: 'list', keys: ['ArrowUp'], does: 'Select the previous library', handledBy: 'larder' },
  { action: 'pageDown', place: 'list', keys: ['PageDown'], does: 'Move a page down', handledBy: 'larder' },
  { action: 'pageUp', place: 'list', keys: ['PageUp'], does: 'Move a page up', handledBy: 'larder' },
  { action: 'selectFirst', place: 'list', keys: ['Home'], does: 'Select the first library', handledBy: 'larder' },
  { action: 'selectLast', place: 'list', keys: ['End'], does: 'Select the last library', handledBy: 'larder' },
  { action: 'openDetails', place: 'list', keys: ['Enter'], does: 'Go to the selected library’s details (selects the first if none is)', handledBy: 'larder' },
  { action: 'closeDetails', place: 'list', keys: ['Escape'], does: 'Close the details (clears the selection)', handledBy: 'larder' },
  { action: 'copyToken', place: 'list', keys: ['c', 'C'], does: 'Copy the selected library’s access token', handledBy: 'larder' },
  { action: 'refreshNow', place: 'list', keys: ['r', 'R'], does: 'Refresh the selected library’s token now', handledBy: 'larder' },
  { action: 'nextTab', place: 'tabs', keys: ['ArrowRight'], does: 'Show the next tab', handledBy: 'larder' },
  { action: 'previousTab', place: 'tabs', keys: ['ArrowLeft'], does: 'Show the previous tab', handledBy: 'larder' },
  { action: 'firstTab', place: 'tabs', keys: ['Home'], does: 'Show the first tab', handledBy: 'larder' },
  { action: 'lastTab', place: 'tabs', keys: ['End'], does: 'Show the last tab', handledBy: 'larder' },
  { action: 'closeDialog', place: 'dialog', keys: ['Escape'], does: 'Close the dialog (not while Larder is saving)', handledBy: 'browser' }
]

export const PLACE_LABEL: Readonly<Record<ShortcutPlace, string>> = {
  anywhere: 'Anywhere, outside a text field',
  search: 'In the search box',
  list: 'In the library list',
  tabs: 'In a row of tabs (Import & backup)',
  dialog: 'In a dialog'
}

/** The keys of a key event that matter here (a React or a DOM KeyboardEvent both fit). */
export interface KeyPress {
  readonly key: string
  readonly ctrlKey: boolean
  readonly metaKey: boolean
  readonly altKey: boolean
}

/**
 * The action this key is in `place`, or null. Shift may be held ("?" needs it); Alt may not; Ctrl or Meta only for a
 * command shortcut, which needs one of them.
 */
export function shortcutAction(place: ShortcutPlace, press: KeyPress): ShortcutAction | null {
  if (press.altKey) return null
  const command = press.ctrlKey || press.metaKey
  return (
    SHORTCUTS.find((shortcut) => shortcut.place === place && shortcut.handledBy === 'larder' && (shortcut.command === true) === command && shortcut.keys.includes(press.key))
      ?.action ?? null
  )
}

const KEY_LABEL: Readonly<Record<string, string>> = {
  ArrowDown: '↓',
  ArrowUp: '↑',
  ArrowLeft: '←',
  ArrowRight: '→',
  Escape: 'Esc',
  PageDown: 'Page Down',
  PageUp: 'Page Up'
}

/** How a key is written for a person: arrows as arrows, letters in capitals. */
export function keyLabel(key: string): string {
  return KEY_LABEL[key] ?? (key.length === 1 ? key.toUpperCase() : key)
}

export function shortcutOf(action: ShortcutAction): Shortcut {
  const found = SHORTCUTS.find((shortcut) => shortcut.action === action)
  if (found === undefined) throw new Error(`no shortcut ${action}`)
  return found
}

/** The short line under the list: the few shortcuts used most, in a word or two each. */
export const LIST_HINT: readonly { readonly actions: readonly ShortcutAction[]; readonly words: string }[] = [
  { actions: ['selectPrevious', 'selectNext'], words: 'select' },
  { actions: ['openDetails'], words: 'details' },
  { actions: ['copyToken'], words: 'copy token' },
  { actions: ['refreshNow'], words: 'refresh now' },
  { actions: ['focusSearch'], words: 'search' }
]
