// Desktop notifications: the policy decides, this shows. A click on a library's notification (or on a failed
// action's) opens that library; a click on a digest opens the window.
import { Notification } from 'electron'
import {
  NotificationPolicy,
  type Notice,
  type NotificationPolicyOptions,
  type NotificationToggles,
  type WatchedLibrary
} from '../core/desktop/notification-policy.ts'
import { MAX_TIMER_MS } from '../core/time/clock.ts'

export interface NotifierOptions {
  readonly toggles: NotificationToggles
  readonly onOpenLibrary: (id: string) => void
  readonly onOpenWindow: () => void
  readonly now?: () => number
  /** Budget and digest tuning; see NotificationPolicy. */
  readonly policy?: Omit<NotificationPolicyOptions, 'now' | 'toggles'>
}

export interface Notifier {
  /** Current statuses of some or all libraries (the first call is the start-up look). */
  observe(libraries: readonly WatchedLibrary[]): void
  forget(id: string): void
  /** Applies at once: what a switched-off kind had waiting is dropped, a switched-on kind announces what is pending. */
  configure(toggles: NotificationToggles): void
  /** Offline from the team since then (null: back online): expiring notices held back, one notice said instead. */
  teamOffline(since: number | null): void
  /** Shows a notice now, outside the policy: the answer to something a person just did (a failed tray action). */
  announce(notice: Notice): void
  dispose(): void
}

// A shown Notification that is garbage-collected loses its click handler, so shown ones are kept (a few).
const KEEP_SHOWN = 20
// Never wake more often than this, whatever the policy says.
const MIN_TICK_MS = 1_000

export function createNotifier(options: NotifierOptions): Notifier {
  const now = options.now ?? Date.now
  const policy = new NotificationPolicy({ ...options.policy, now, toggles: options.toggles })
  const shown: Notification[] = []
  let timer: ReturnType<typeof setTimeout> | null = null
  let disposed = false

  const show = (notices: readonly Notice[]): void => {
    if (disposed || notices.length === 0 || !Notification.isSupported()) return
    for (const notice of notices) {
      const notification = new Notification({
        id: notificationId(notice),
        groupId: 'larder',
        title: notice.title,
        body: notice.body,
        silent: notice.silent
      })
      const forget = (): void => {
        const index = shown.indexOf(notification)
        if (index >= 0) shown.splice(index, 1)
      }
      notification.on('click', () => {
        forget()
        const libraryId = notice.type === 'digest' ? null : notice.libraryId
        if (libraryId !== null) options.onOpenLibrary(libraryId)
        else options.onOpenWindow()
      })
      notification.on('close', forget)
      shown.push(notification)
      if (shown.length > KEEP_SHOWN) shown.shift()
      notification.show()
    }
  }

  const schedule = (): void => {
    if (timer !== null) clearTimeout(timer)
    timer = null
    const at = policy.nextTickAt()
    if (disposed || at === null) return
    const delay = Math.min(Math.max(at - now(), MIN_TICK_MS), MAX_TIMER_MS)
    timer = setTimeout(() => {
      timer = null
      show(policy.tick())
      schedule()
    }, delay)
    timer.unref()
  }

  return {
    observe(libraries) {
      show(policy.observe(libraries))
      schedule()
    },
    forget(id) {
      policy.forget(id)
    },
    configure(toggles) {
      show(policy.configure(toggles))
      schedule()
    },
    teamOffline(since) {
      show(policy.teamOffline(since))
      schedule()
    },
    announce(notice) {
      show([notice])
    },
    dispose() {
      disposed = true
      if (timer !== null) clearTimeout(timer)
      timer = null
      shown.length = 0
    }
  }
}

/** Same id for the same library: a newer notice replaces the older one in the notification centre. */
function notificationId(notice: Notice): string {
  if (notice.type === 'library') return `larder.library.${notice.libraryId}`
  if (notice.type === 'action') return `larder.action.${notice.libraryId ?? 'none'}`
  return 'larder.digest'
}
