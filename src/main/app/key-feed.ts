// Keys of other systems on the desktop: the notifier watches them as it watches libraries (the same toggles, budget
// and digests; one notice when a key settles into a warning), and the tray's summary counts the ones that need a
// look. The tray's menu lists libraries with their actions (copy, refresh), which are not a key's: keys get one line
// of counts there and "Open Larder", so nothing in the tray acts on a key by a library's call.
import type { KeyStatusView, KeyView, LibraryStatus } from '../../shared/contract.ts'
import { STATUS_LABEL, SYSTEM_LABEL } from '../../shared/status-words.ts'
import type { NoticeWords, WatchedLibrary } from '../core/desktop/notification-policy.ts'
import { levelOf } from '../core/desktop/status-words.ts'
import { MAX_TOOLTIP_CHARS, type MenuNode, type TrayLevel, type TrayModel } from '../core/desktop/tray-model.ts'

export interface FeedKey {
  readonly id: string
  readonly status: KeyStatusView
  /** The key as the notifier reads it: its name with its system, its status in the list's words. */
  readonly watched: WatchedLibrary
}

/**
 * The notifier's words for a key's status: 'inactive' is an end like 'expired' (the person is told the same way and
 * with the same toggle); the rest are the list's own.
 */
const AS_LIBRARY_STATUS: Readonly<Record<KeyStatusView, LibraryStatus>> = {
  healthy: 'healthy',
  expiring_soon: 'expiring_soon',
  inactive: 'expired',
  expired: 'expired',
  needs_reauth: 'needs_reauth',
  error: 'error',
  revoked: 'revoked'
}

export function feedKeyOf(view: KeyView): FeedKey {
  const status = view.status
  const watched = { id: view.id, name: `${view.name} (${SYSTEM_LABEL[view.system]})`, status: AS_LIBRARY_STATUS[status], lastError: null, personal: null, words: keyWords(view) }
  return { id: view.id, status, watched }
}

/** A key's notices in its own words: not a library's refresh, but its system's rule and what to do about it. */
function keyWords(view: KeyView): NoticeWords {
  const system = SYSTEM_LABEL[view.system]
  const name = `${view.name} (${system})`
  const on = (at: number | null): string => (at === null ? '' : ` on ${new Date(at).toISOString().slice(0, 10)}`)
  const why = view.lastCheck?.message ?? null
  const newOne = view.system === 'safetyculture' ? 'Make a new token in SafetyCulture (My Profile → Settings → API tokens) and add it to Larder.' : 'Ask its owner for a new one.'
  return {
    expiring_soon: view.byInactivity
      ? { title: `${name} stops working soon unless it is used`, body: `${system} ends a token unused for 30 days (this one${on(view.expiresAt)}). Use it, or tell Larder it was used elsewhere.` }
      : { title: `${name} expires soon`, body: `Its admin set it to expire${on(view.expiresAt)}. Ask for a new one in time.` },
    expired: view.status === 'inactive'
      ? { title: `${name} stopped working: unused for 30 days`, body: newOne }
      : { title: `${name} has expired`, body: newOne },
    needs_reauth: { title: `${system} refused ${view.name}`, body: why ?? newOne },
    error: { title: `${name} could not be checked`, body: why ?? `${system} did not answer; Larder tries again later.` }
  }
}

/** The key statuses the tray names, worst first. */
const NAMED: readonly KeyStatusView[] = ['needs_reauth', 'error', 'inactive', 'expired', 'expiring_soon']
const RANK: Readonly<Record<TrayLevel, number>> = { ok: 0, warning: 1, attention: 2 }

/** Each key's status, and the tray's line about the ones that need a look. */
export class KeyAttention {
  readonly #status = new Map<string, KeyStatusView>()

  reset(keys: readonly FeedKey[]): void {
    this.#status.clear()
    for (const key of keys) this.#status.set(key.id, key.status)
  }

  /** Answers whether what the tray says of keys may have changed. */
  apply(changed: readonly FeedKey[], removed: readonly string[]): boolean {
    let moved = false
    for (const key of changed) {
      if (this.#status.get(key.id) !== key.status) moved = true
      this.#status.set(key.id, key.status)
    }
    for (const id of removed) moved = this.#status.delete(id) || moved
    return moved
  }

  /** The libraries' model with the keys that need a look: the icon's level, a tooltip part and one menu line. */
  decorate(model: TrayModel): TrayModel {
    const counts = new Map<KeyStatusView, number>()
    for (const status of this.#status.values()) counts.set(status, (counts.get(status) ?? 0) + 1)
    const parts = NAMED.flatMap((status) => {
      const count = counts.get(status) ?? 0
      return count === 0 ? [] : [`${count} ${STATUS_LABEL[status].toLowerCase()}`]
    })
    if (parts.length === 0) return model
    const level = NAMED.filter((status) => counts.has(status))
      .map((status) => levelOf(AS_LIBRARY_STATUS[status]))
      .reduce((worst, next) => (RANK[next] > RANK[worst] ? next : worst), model.level)
    const noun = this.#status.size === 1 ? 'key' : 'keys'
    const tooltip = `${model.tooltip}; ${noun}: ${parts.join(', ')}`
    const line: MenuNode[] = [
      { type: 'separator' },
      { type: 'label', label: `Keys of other systems (${this.#status.size}): ${parts.join(', ')}` },
      { type: 'item', label: 'Open Larder to see them', command: { kind: 'open' }, enabled: true }
    ]
    // Before the closing "Open Larder" / "Quit Larder" group (its separator is the last one).
    const closing = model.menu.map((node) => node.type).lastIndexOf('separator')
    const at = closing < 0 ? model.menu.length : closing
    return {
      level,
      tooltip: tooltip.length <= MAX_TOOLTIP_CHARS ? tooltip : `${tooltip.slice(0, MAX_TOOLTIP_CHARS - 1)}…`,
      menu: [...model.menu.slice(0, at), ...line, ...model.menu.slice(at)]
    }
  }
}
