// The tray and desktop notifications, fed from the projection: written once for every host that has them.
// Notifications see each changed view as it comes. The tray's summary covers every library: the feed keeps it up
// to date change by change (core/desktop/tray-summary.ts, O(changes) however many libraries there are) and shows it
// at most once a second (the first change at once, the rest of a burst together), since a tray menu is costly to
// replace. A tray without `show` is handed every library's view instead, rebuilt on each of those updates.
import type { KeyView, LibraryView, NotificationToggles, VaultState } from '../../shared/contract.ts'
import type { WatchedLibrary } from '../core/desktop/notification-policy.ts'
import { withLockItem, withTeamOffline, type TrayLibrary, type TrayModel } from '../core/desktop/tray-model.ts'
import { TraySummary } from '../core/desktop/tray-summary.ts'
import type { Clock, TimerHandle } from '../core/time/clock.ts'
import { KeyAttention, feedKeyOf, type FeedKey } from './key-feed.ts'
import type { ChangedRow, ViewBatch } from './projection.ts'

export { feedKeyOf, type FeedKey }

/** What the tray and notifications read of a changed library (a whole view has it too). */
export type FeedLibrary = TrayLibrary & WatchedLibrary

/** A batch as the feed takes it: the projection's rows become feed libraries (feedLibraryOf). */
export type FeedBatch = Pick<ViewBatch, 'personal' | 'removed'> & { readonly changed: readonly FeedLibrary[] }

/** The few fields the feed reads, from a changed row (no whole view built for it). */
export function feedLibraryOf({ row, lastError }: ChangedRow): FeedLibrary {
  return { id: row.id, name: row.name, status: row.status, expiresAt: row.expiresAt, lastError, personal: row.personal ?? null }
}

export interface TrayPort {
  /** The summary as the tray shows it, and the names of the libraries its menu lists (for a failed click's notice). */
  show?(model: TrayModel, names: ReadonlyMap<string, string>): void
  /** A tray that builds its own summary: every library's view, at most once a second. */
  update(libraries: readonly LibraryView[]): void
  /** The vault is not open: no library is listed or refreshed until it is. */
  vault?(state: Exclude<VaultState, { state: 'open' }>): void
  destroy(): void
}

export interface NotifierPort {
  /** Current statuses of some or all libraries (the first call is the start-up look). */
  observe(libraries: readonly WatchedLibrary[]): void
  forget(id: string): void
  configure(toggles: NotificationToggles): void
  /** Offline from the team since (ms), or null when it is reachable again (NotificationPolicy.teamOffline). */
  teamOffline?(since: number | null): void
  dispose(): void
}

export const TRAY_INTERVAL_MS = 1_000

export interface DesktopFeed {
  /** The vault opened: the first look at every library, and at every key of another system. */
  start(views: () => readonly LibraryView[], toggles: NotificationToggles, keys?: () => readonly FeedKey[]): void
  apply(batch: FeedBatch): void
  /** Keys of other systems changed (their views) or went: notified as libraries are, counted in the tray's summary. */
  applyKeys(changed: readonly KeyView[], removed: readonly string[]): void
  /** Where the vault stands; until it opens (and while the app lock is on: 'guarded') the tray says so and lists none. */
  vault(state: VaultState): void
  configure(toggles: NotificationToggles): void
  /**
   * Where this machine stands with its team (issue 16): offline since (ms), or null when it reaches the team database
   * (or has no team). Offline, tokens expiring for want of a refresh make one notice, not one per library.
   */
  team(offlineSince: number | null): void
  dispose(): void
}

export interface DesktopFeedPorts {
  readonly tray?: TrayPort
  readonly notifier?: NotifierPort
  readonly clock: Clock
  /** The app has a lock: the tray's menu offers "Lock now". */
  readonly lockItem?: boolean
}

export function createDesktopFeed(ports: DesktopFeedPorts): DesktopFeed {
  const { tray, notifier, clock } = ports
  // Only a tray that takes a summary gets one kept for it.
  const summary = tray?.show ? new TraySummary() : null
  const keys = new KeyAttention()
  let views: (() => readonly LibraryView[]) | null = null
  let timer: TimerHandle | null = null
  let trayStale = false
  let disposed = false
  /** The vault is not open, or the app lock is on: the tray shows that instead of the libraries. */
  let closed: Exclude<VaultState, { state: 'open' }> | null = null
  /** Offline from the team since then; null: online, or no team. */
  let teamOfflineSince: number | null = null

  const updateTray = (): void => {
    trayStale = false
    // Kept up to date meanwhile; shown again once the vault is open and unlocked.
    if (closed !== null) return
    if (tray?.show && summary && views) {
      const { model, names } = summary.snapshot()
      const decorated = keys.decorate(model)
      const told = teamOfflineSince === null ? decorated : withTeamOffline(decorated, teamOfflineSince)
      tray.show(ports.lockItem === true ? withLockItem(told) : told, names)
    } else if (tray && views) {
      tray.update(views())
    }
    timer = clock.setTimeout(() => {
      timer = null
      if (trayStale) updateTray()
    }, TRAY_INTERVAL_MS)
    timer.unref?.()
  }
  const trayChanged = (): void => {
    if (disposed) return
    trayStale = true
    if (timer === null) updateTray()
  }

  return {
    start(all, toggles, allKeys) {
      views = all
      // One look at every library for both: the notifier's start-up summary and the tray's.
      const libraries = notifier || summary ? all() : []
      const firstKeys = allKeys?.() ?? []
      keys.reset(firstKeys)
      if (notifier) {
        notifier.configure(toggles)
        notifier.observe([...libraries, ...firstKeys.map((key) => key.watched)])
      }
      summary?.reset(libraries)
      if (tray) trayChanged()
    },
    apply(batch) {
      if (disposed) return
      if (batch.changed.length > 0) notifier?.observe(batch.changed)
      for (const id of batch.removed) notifier?.forget(id)
      summary?.apply(batch.changed, batch.removed)
      if (tray && (batch.changed.length > 0 || batch.removed.length > 0)) trayChanged()
    },
    applyKeys(changed, removed) {
      if (disposed) return
      const fed = changed.map(feedKeyOf)
      if (fed.length > 0) notifier?.observe(fed.map((key) => key.watched))
      for (const id of removed) notifier?.forget(id)
      if (keys.apply(fed, removed) && summary) trayChanged()
    },
    vault(state) {
      if (disposed) return
      if (state.state !== 'open') {
        closed = state
        tray?.vault?.(state)
        return
      }
      const was = closed
      closed = null
      // Open again (unlocked, or opened after a lock that forgot its key): the libraries come back at once.
      if (was !== null && views !== null && tray) {
        if (timer !== null) clock.clearTimeout(timer)
        timer = null
        trayChanged()
      }
    },
    configure(toggles) {
      notifier?.configure(toggles)
    },
    team(offlineSince) {
      if (disposed) return
      notifier?.teamOffline?.(offlineSince)
      teamOfflineSince = offlineSince
      if (tray) trayChanged()
    },
    dispose() {
      disposed = true
      if (timer !== null) clock.clearTimeout(timer)
      timer = null
      views = null
      tray?.destroy()
      notifier?.dispose()
    }
  }
}
