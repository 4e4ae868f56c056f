// A tray and a notifier for a host without Electron, doing what the Electron adapters do with what the desktop feed
// hands them (src/main/electron/tray.ts, notifications.ts: the same pure models, minus the system calls), and
// counting it: how many libraries went through the tray's summary and the notification policy, and the time spent.
import { performance } from 'node:perf_hooks'
import type { NotifierPort, TrayPort } from '../../src/main/app/desktop-feed.ts'
import { NotificationPolicy, type Notice, type NotificationToggles } from '../../src/main/core/desktop/notification-policy.ts'
import { buildTrayModel, type TrayModel } from '../../src/main/core/desktop/tray-model.ts'
import type { Clock } from '../../src/main/core/time/clock.ts'

export interface DesktopCounts {
  /** Tray summaries shown, and the libraries the tray went through for them: every library when it builds its own, the listed ones of a summary kept by the feed. */
  trayShown: number
  trayLibraries: number
  /** Menus that differed from the one shown before (the Electron tray rebuilds its menu only then). */
  trayMenus: number
  /** In the tray port: building (when handed libraries) and comparing the summary, ms. */
  trayMs: number
  /** observe() calls and the libraries they carried. */
  notifierCalls: number
  notifierLibraries: number
  /** In the notifier port: the policy's decisions and its next tick, ms. */
  notifierMs: number
  notices: Notice[]
}

export function newCounts(): DesktopCounts {
  return { trayShown: 0, trayLibraries: 0, trayMenus: 0, trayMs: 0, notifierCalls: 0, notifierLibraries: 0, notifierMs: 0, notices: [] }
}

export const ALL_ON: NotificationToggles = { expiring: true, failed: true, needsReauth: true }

export interface DesktopPorts {
  readonly tray: TrayPort
  readonly notifier: NotifierPort
  readonly counts: DesktopCounts
  /** The model the tray shows now (null until the first). */
  shown(): TrayModel | null
}

/** Stand-ins for the Electron tray and notifier; `clock.now` is the policy's clock. */
export function desktopPorts(clock: Pick<Clock, 'now'>): DesktopPorts {
  const counts = newCounts()
  let policy = new NotificationPolicy({ now: () => clock.now(), toggles: ALL_ON })
  let shownMenu = ''
  let shownModel: TrayModel | null = null
  const show = (model: TrayModel): void => {
    counts.trayShown++
    const menuKey = JSON.stringify(model.menu)
    if (menuKey !== shownMenu) counts.trayMenus++
    shownMenu = menuKey
    shownModel = model
  }
  const tray = {
    update(libraries: Parameters<TrayPort['update']>[0]) {
      const started = performance.now()
      counts.trayLibraries += libraries.length
      show(buildTrayModel(libraries))
      counts.trayMs += performance.now() - started
    },
    show(model: TrayModel, names: ReadonlyMap<string, string>) {
      const started = performance.now()
      // A summary kept by the feed: the tray reads only the libraries its menu lists.
      counts.trayLibraries += names.size
      show(model)
      counts.trayMs += performance.now() - started
    },
    destroy() {}
  } satisfies TrayPort
  const notifier: NotifierPort = {
    observe(libraries) {
      const started = performance.now()
      counts.notifierCalls++
      counts.notifierLibraries += libraries.length
      counts.notices.push(...policy.observe(libraries))
      policy.nextTickAt()
      counts.notifierMs += performance.now() - started
    },
    forget(id) {
      policy.forget(id)
    },
    configure(toggles) {
      counts.notices.push(...policy.configure(toggles))
    },
    dispose() {
      policy = new NotificationPolicy({ now: () => clock.now(), toggles: ALL_ON })
    }
  }
  return { tray, notifier, counts, shown: () => shownModel }
}
