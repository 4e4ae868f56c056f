// Which desktop notifications to send, decided from library statuses and the clock alone. Rules:
// - a library notifies when it settles into an alerting status it was not in before (one per change of state);
//   "refreshing" is passed through, so a retry that fails again does not notify again;
// - at most `maxPerWindow` notifications in any `windowMs`: more than fit become one digest, and what arrives
//   once the budget is spent waits for it and then goes out together;
// - on the first look (app start) nothing is announced per library: one summary of what is pending;
// - a daily digest while several libraries are pending;
// - each kind can be switched off, and a switch applies at once: switching one off drops what of that kind was
//   waiting; switching one on announces the libraries already in that state that were never announced;
// - a tray action that failed is answered at once (a person just clicked): not switchable, not counted (action-notice.ts);
// - offline from the team (issue 16): tokens expiring here with no refresh are not announced one by one (nothing can be
//   refreshed until the team database is back); one notice says why, once per time offline. Back online, the engine
//   refreshes them, and any that still fails is announced as it settles into its new state.
// The text names libraries and failure kinds only, never a token, a secret or a server's message.
import type { LibraryStatus, LibraryView, NotificationToggles as Toggles } from '../../../shared/contract.ts'
import { STATUS_PHRASES, displayName, failurePhrase, libraries } from './status-words.ts'

export type AlertKind = 'expiring' | 'failed' | 'needsReauth'

/** Which kinds of alert a person wants: the settings' own toggles. */
export type NotificationToggles = Readonly<Toggles>

/** A notice's own words for a status, where the library's would be wrong (a key of another system). */
export type NoticeWords = Readonly<Partial<Record<'needs_reauth' | 'expired' | 'expiring_soon' | 'error', { readonly title: string; readonly body: string }>>>

export type WatchedLibrary = Pick<LibraryView, 'id' | 'name' | 'status'> & {
  readonly lastError?: { readonly kind: string } | null
  /** Words of its own per status (a key's); absent: a library's. */
  readonly words?: NoticeWords
  /** A library reached through a personal token shares its token's status: the token's own row speaks for it. */
  readonly personal?: { readonly role: 'connection' | 'library' } | null
}

export type Notice =
  | {
      readonly type: 'library'
      readonly libraryId: string
      readonly alert: AlertKind
      readonly title: string
      readonly body: string
      readonly silent: boolean
    }
  | {
      readonly type: 'digest'
      /** 'team_offline': expiring tokens held back while this machine is offline from the team. */
      readonly reason: 'burst' | 'startup' | 'daily' | 'team_offline'
      readonly libraryIds: readonly string[]
      readonly title: string
      readonly body: string
      readonly silent: boolean
    }
  | {
      /** A tray action failed: what failed and why, in words; never a server's message or a secret. */
      readonly type: 'action'
      /** The library it was for, if Larder still has it. */
      readonly libraryId: string | null
      readonly title: string
      readonly body: string
      readonly silent: false
    }

export interface NotificationPolicyOptions {
  readonly now: () => number
  readonly toggles: NotificationToggles
  /** Default one minute. */
  readonly windowMs?: number
  /** Default 3: a fourth alert inside the window makes a digest instead. */
  readonly maxPerWindow?: number
  /** Default 24 hours. */
  readonly dailyDigestMs?: number
  /** A daily digest goes out only when at least this many are pending. Default 2. */
  readonly dailyDigestMinimum?: number
  /** Names spelled out in a digest before "and N more". Default 4. */
  readonly namesInDigest?: number
}

export function alertKindOf(status: LibraryStatus): AlertKind | null {
  switch (status) {
    case 'expiring_soon':
    case 'expired':
      return 'expiring'
    case 'error':
      return 'failed'
    case 'needs_reauth':
      return 'needsReauth'
    default:
      return null
  }
}

interface Known {
  name: string
  /** The last status other than "refreshing"; null until the library has settled once. */
  settled: LibraryStatus | null
  failureKind: string | undefined
  /** The person was told of the settled status (a notice, a digest, the start-up summary). */
  told: boolean
  words: NoticeWords | undefined
}

export class NotificationPolicy {
  readonly #now: () => number
  readonly #windowMs: number
  readonly #maxPerWindow: number
  readonly #dailyMs: number
  readonly #dailyMinimum: number
  readonly #namesInDigest: number
  #toggles: NotificationToggles
  readonly #known = new Map<string, Known>()
  /** Alerts decided but not yet sent, in arrival order. */
  readonly #waiting = new Set<string>()
  /** When each recent notification went out, oldest first. */
  #sentAt: number[] = []
  #started = false
  #lastDailyAt = 0
  /** Offline from the team since (ms); null while it is reachable, or for a local vault. */
  #teamOfflineSince: number | null = null
  /** The offline notice went out for the current time offline. */
  #teamOfflineTold = false

  constructor(options: NotificationPolicyOptions) {
    this.#now = options.now
    this.#toggles = { ...options.toggles }
    this.#windowMs = positive(options.windowMs ?? 60_000, 'windowMs')
    this.#maxPerWindow = Math.max(1, Math.floor(options.maxPerWindow ?? 3))
    this.#dailyMs = positive(options.dailyDigestMs ?? 24 * 3600_000, 'dailyDigestMs')
    this.#dailyMinimum = Math.max(1, Math.floor(options.dailyDigestMinimum ?? 2))
    this.#namesInDigest = Math.max(1, Math.floor(options.namesInDigest ?? 4))
  }

  /**
   * New toggles, applied at once: what of a kind switched off and was waiting is dropped; a kind switched on
   * announces the libraries already in its state that nobody was told of. Answers what to show now.
   */
  configure(toggles: NotificationToggles): Notice[] {
    const before = this.#toggles
    this.#toggles = { ...toggles }
    if (!this.#started) return []
    for (const [id, known] of this.#known) {
      const kind = known.settled === null ? null : alertKindOf(known.settled)
      if (kind !== null && toggles[kind] && !before[kind] && !known.told) this.#waiting.add(id)
    }
    return this.#flush(this.#now())
  }

  /** Takes the current status of some (or all) libraries; answers what to show now. */
  observe(watched: readonly WatchedLibrary[]): Notice[] {
    const now = this.#now()
    const firstLook = !this.#started
    // One notice per token, not one per library sharing it.
    for (const library of watched) if (library.personal?.role !== 'library') this.#take(library, firstLook)
    if (firstLook) {
      this.#started = true
      this.#lastDailyAt = now
      return this.#startupSummary(now)
    }
    return this.#flush(now)
  }

  /**
   * Where this machine stands with its team: offline since (ms), or null when it reaches the team database (or has no
   * team). Back online, what was held back is dropped unannounced: the engine refreshes it now, and a refresh that
   * fails settles into a new state, which is announced then. Answers what to show now.
   */
  teamOffline(since: number | null): Notice[] {
    if (since === this.#teamOfflineSince) return []
    const wasOffline = this.#teamOfflineSince !== null
    this.#teamOfflineSince = since
    if (since !== null) return wasOffline ? [] : this.#flush(this.#now())
    this.#teamOfflineTold = false
    for (const id of this.#waiting) if (this.#heldOffline(id)) this.#waiting.delete(id)
    return []
  }

  /** A library was removed: nothing more is said about it. */
  forget(id: string): void {
    this.#known.delete(id)
    this.#waiting.delete(id)
  }

  /** Called at `nextTickAt()`: sends what waited for the budget, and the daily digest when due. */
  tick(): Notice[] {
    const now = this.#now()
    const notices = this.#flush(now)
    if (this.#started && now >= this.#lastDailyAt + this.#dailyMs && this.#budget(now) > 0) {
      this.#lastDailyAt = now
      const pending = this.pending()
      if (pending.length >= this.#dailyMinimum) notices.push(this.#send(now, this.#digest('daily', pending)))
    }
    return notices
  }

  /** When `tick()` next has something to do; null before the first `observe()`. */
  nextTickAt(): number | null {
    if (!this.#started) return null
    const now = this.#now()
    const budgetFreeAt = this.#budget(now) > 0 ? now : (this.#sentAt[0] ?? now) + this.#windowMs
    const dailyAt = Math.max(this.#lastDailyAt + this.#dailyMs, budgetFreeAt)
    return this.#waiting.size > 0 ? Math.min(dailyAt, budgetFreeAt) : dailyAt
  }

  /** Libraries in an alerting status whose kind is switched on, worst first. */
  pending(): string[] {
    const rank: Record<AlertKind, number> = { needsReauth: 0, failed: 1, expiring: 2 }
    return [...this.#known]
      .flatMap(([id, known]) => {
        const kind = known.settled === null ? null : alertKindOf(known.settled)
        return kind !== null && this.#toggles[kind] && !this.#heldOffline(id) ? [{ id, name: known.name, rank: rank[kind] }] : []
      })
      .sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name))
      .map(({ id }) => id)
  }

  #take(library: WatchedLibrary, firstLook: boolean): void {
    const known = this.#known.get(library.id)
    const failureKind = library.lastError?.kind
    if (library.status === 'refreshing') {
      if (known) known.name = library.name
      else this.#known.set(library.id, { name: library.name, settled: null, failureKind, told: false, words: library.words })
      return
    }
    if (!known) {
      // First sight: at start the summary covers it (if its kind is on); later it was just added by the person
      // looking at it.
      this.#known.set(library.id, { name: library.name, settled: library.status, failureKind, told: !firstLook, words: library.words })
      return
    }
    known.name = library.name
    known.failureKind = failureKind
    known.words = library.words
    if (known.settled === library.status) return
    known.settled = library.status
    known.told = false
    if (alertKindOf(library.status) !== null && !firstLook) this.#waiting.add(library.id)
    else this.#waiting.delete(library.id)
  }

  #stillAlerting(id: string): boolean {
    const settled = this.#known.get(id)?.settled ?? null
    const kind = settled === null ? null : alertKindOf(settled)
    return kind !== null && this.#toggles[kind]
  }

  /** Offline from the team, a token expiring here with no refresh is not announced by itself. */
  #heldOffline(id: string): boolean {
    const settled = this.#known.get(id)?.settled ?? null
    return this.#teamOfflineSince !== null && settled !== null && alertKindOf(settled) === 'expiring'
  }

  #budget(now: number): number {
    this.#sentAt = this.#sentAt.filter((at) => at > now - this.#windowMs)
    return this.#maxPerWindow - this.#sentAt.length
  }

  #flush(now: number): Notice[] {
    for (const id of this.#waiting) if (!this.#stillAlerting(id)) this.#waiting.delete(id)
    const held = [...this.#waiting].filter((id) => this.#heldOffline(id))
    for (const id of held) this.#waiting.delete(id)
    const notices = held.length > 0 && !this.#teamOfflineTold ? [this.#teamOfflineNotice(now, held)] : []
    if (this.#waiting.size === 0) return notices
    const budget = this.#budget(now)
    if (budget <= 0) return notices
    const ids = [...this.#waiting]
    this.#waiting.clear()
    if (ids.length <= budget) return [...notices, ...ids.map((id) => this.#send(now, this.#single(id)))]
    return [...notices, this.#send(now, this.#digest('burst', ids))]
  }

  /** Once per time offline, sent even when the budget is spent (it stands for every token held back). */
  #teamOfflineNotice(now: number, ids: readonly string[]): Notice {
    this.#teamOfflineTold = true
    const since = new Date(this.#teamOfflineSince ?? now)
    const at = `${String(since.getHours()).padStart(2, '0')}:${String(since.getMinutes()).padStart(2, '0')}`
    return this.#send(now, {
      type: 'digest',
      reason: 'team_offline',
      libraryIds: [...ids],
      title: `Offline from the team since ${at}`,
      body: `${failurePhrase('team_offline')}. Copies use the tokens saved on this machine while they are valid. Click to open Larder.`,
      silent: false
    })
  }

  #startupSummary(now: number): Notice[] {
    const held = [...this.#known.keys()].filter((id) => this.#heldOffline(id) && this.#stillAlerting(id))
    const offline = held.length > 0 ? [this.#teamOfflineNotice(now, held)] : []
    const pending = this.pending()
    const [only] = pending
    if (only === undefined) return offline
    return [...offline, this.#send(now, pending.length === 1 ? this.#single(only) : this.#digest('startup', pending))]
  }

  #send(now: number, notice: Notice): Notice {
    this.#sentAt.push(now)
    const told = notice.type === 'library' ? [notice.libraryId] : notice.type === 'digest' ? notice.libraryIds : []
    for (const id of told) {
      const known = this.#known.get(id)
      if (known) known.told = true
    }
    return notice
  }

  #single(id: string): Notice {
    const known = this.#known.get(id)
    const status = known?.settled ?? 'error'
    const name = displayName(known?.name ?? id)
    const alert = alertKindOf(status) ?? 'failed'
    const open = 'Click to open it in Larder.'
    const own = status === 'needs_reauth' || status === 'expired' || status === 'expiring_soon' || status === 'error' ? known?.words?.[status] : undefined
    const text = ((): { title: string; body: string } => {
      if (own !== undefined) return { title: own.title, body: `${own.body} ${open}` }
      switch (status) {
        case 'needs_reauth':
          return { title: `${name} needs re-authorization`, body: `The customer must issue a new token for this library. ${open}` }
        case 'expired':
          return { title: `${name}: the access token has expired`, body: `Scripts using it are refused until it is refreshed. ${open}` }
        case 'expiring_soon':
          return { title: `${name}: the access token expires soon`, body: `Its refresh is overdue or cannot happen: refresh it in Larder. ${open}` }
        default:
          return { title: `Refresh failed for ${name}`, body: `${failurePhrase(known?.failureKind)}. ${open}` }
      }
    })()
    return { type: 'library', libraryId: id, alert, ...text, silent: alert === 'expiring' }
  }

  #digest(reason: 'burst' | 'startup' | 'daily', ids: readonly string[]): Notice {
    const named = ids.slice(0, this.#namesInDigest).map((id) => {
      const known = this.#known.get(id)
      const phrase = known?.settled ? STATUS_PHRASES[known.settled] : 'needs attention'
      return `${displayName(known?.name ?? id)} (${phrase})`
    })
    const more = ids.length - named.length
    const list = more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ')
    return {
      type: 'digest',
      reason,
      libraryIds: [...ids],
      title: `${libraries(ids.length)} ${ids.length === 1 ? 'needs' : 'need'} attention`,
      body: `${list}. Click to open Larder.`,
      silent: reason === 'daily'
    }
  }
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number of milliseconds`)
  return value
}
