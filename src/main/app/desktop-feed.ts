// The tray and desktop notifications, fed from the projection: written once for every host that has them.
// Notifications see each changed view as it comes; the tray's summary covers every library, so it is rebuilt from
// every library's view at most once a second (the first change at once, the rest of a burst together) rather than
// once per change.
import type { LibraryView, NotificationToggles, VaultState } from '../../shared/contract.ts'
import type { WatchedLibrary } from '../core/desktop/notification-policy.ts'
import type { Clock, TimerHandle } from '../core/time/clock.ts'
import type { ViewBatch } from './projection.ts'

export interface TrayPort {
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
  dispose(): void
}

export const TRAY_INTERVAL_MS = 1_000

export interface DesktopFeed {
  /** The vault opened: the first look at every library. */
  start(views: () => readonly LibraryView[], toggles: NotificationToggles): void
  apply(batch: ViewBatch): void
  /** Where the vault stands; until it opens the tray says so. */
  vault(state: VaultState): void
  configure(toggles: NotificationToggles): void
  dispose(): void
}

export function createDesktopFeed(ports: { readonly tray?: TrayPort; readonly notifier?: NotifierPort; readonly clock: Clock }): DesktopFeed {
  const { tray, notifier, clock } = ports
  let views: (() => readonly LibraryView[]) | null = null
  let timer: TimerHandle | null = null
  let trayStale = false
  let disposed = false

  const updateTray = (): void => {
    trayStale = false
    if (tray && views) tray.update(views())
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
    start(all, toggles) {
      views = all
      if (notifier) {
        notifier.configure(toggles)
        notifier.observe(all())
      }
      if (tray) trayChanged()
    },
    apply(batch) {
      if (disposed) return
      if (batch.changed.length > 0) notifier?.observe(batch.changed)
      for (const id of batch.removed) notifier?.forget(id)
      if (tray && (batch.changed.length > 0 || batch.removed.length > 0)) trayChanged()
    },
    vault(state) {
      if (disposed || state.state === 'open') return
      tray?.vault?.(state)
    },
    configure(toggles) {
      notifier?.configure(toggles)
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
