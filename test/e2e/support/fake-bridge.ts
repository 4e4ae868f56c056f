// A stand-in `window.larder` for renderer-only checks that do not need the real core: thousands of libraries
// (virtualisation and speed), keys of other systems beside them (many-keys.ts), or a locked vault. Installed with
// page.addInitScript, so it exists before the app.
import type { Page } from '@playwright/test'
import type { AuditEntryView, KeyView, LibraryStatus, LibraryView, TeamView, TokenType, VaultState } from '../../../src/shared/contract.ts'
import { keysInListOrder } from '../../../src/shared/library-order.ts'
import { listViewOf } from '../../../src/shared/library-list-view.ts'

export interface FakeBridgeOptions {
  readonly libraries: readonly LibraryView[]
  /** What `keys.list` answers (default: none, as Larder with no key of another system says). */
  readonly keys?: readonly KeyView[]
  readonly vault?: VaultState
  /** The passphrase that unlocks a locked fake vault. */
  readonly passphrase?: string
  /**
   * Answers `libraries.list` this many ms after it was asked (on a timer, as an IPC answer arrives), instead of
   * at once. For bench/dashboard.ts, so the shell is on screen before the list arrives.
   */
  readonly listDelayMs?: number
  /** Answers `keys.list` this many ms after it was asked, instead of at once (to tell the keys' part of a render apart). */
  readonly keysDelayMs?: number
  /**
   * Holds the answer to `libraries.list` until the page calls releaseListName() on globalThis (instead of listDelayMs):
   * bench/dashboard.ts reads the page's CPU counters right before it lets the list in.
   */
  readonly holdList?: boolean
  /**
   * This machine's team as 'team.state' first answers it (default: a local vault). The team calls answer as Larder
   * does, without a database: create makes this machine the only member, requestJoin shows a fixed code, approve lets
   * in a member named "New member", remove takes one out with its removal just begun, leave and takeHome make the vault
   * local (refused offline, and leave for the only member, as Larder refuses them), each also sent as 'team.changed'; every
   * view names the server without its password.
   */
  readonly team?: TeamView
  /** What 'audit.page' answers (default: no entries): these entries (a member filter keeps that member's), and in a team where they came from. */
  readonly audit?: { readonly entries: readonly AuditEntryView[]; readonly teamTrail?: 'online' | 'offline' }
}

const ANSWER_MARK_PREFIX = 'fake-bridge:answered:'

/** Sends an event to the page as Larder would: `page.evaluate(([name, event, payload]) => globalThis[name](event, payload), …)`. */
export const emitEventName = '__fakeBridgeEmit'

/** The code a fake request to join shows. */
export const FAKE_JOIN_CODE = 'K7M2Q-9XRTA'

/** The function a held `libraries.list` answer waits for (holdList): `page.evaluate((name) => globalThis[name](), releaseListName)`. */
export const releaseListName = '__fakeBridgeReleaseList'

/**
 * The name of the `performance.mark` the fake bridge sets in the page the moment it hands over its answer to
 * `call` (a timing hook for bench/dashboard.ts: read it with performance.getEntriesByName).
 */
export function answerMarkName(call: string): string {
  return `${ANSWER_MARK_PREFIX}${call}`
}

const STATUSES: readonly LibraryStatus[] = ['healthy', 'healthy', 'healthy', 'healthy', 'healthy', 'healthy', 'expiring_soon', 'expired', 'needs_reauth', 'error', 'revoked', 'refreshing']
const TYPES: readonly TokenType[] = ['service_account', 'service_account', 'connected_application', 'personal']
const WORDS = ['Brasserie', 'Café', 'Trattoria', 'Bistro', 'Kantine', 'Eetcafé', 'Bakkerij', 'Grill', 'Sushi', 'Tapas', 'Pizzeria', 'Deli']
const PLACES = ['Nord', 'Zuid', 'Oost', 'West', 'Centrum', 'Haven', 'Markt', 'Station', 'Park', 'Dijk', 'Brug', 'Plein']

/** `count` libraries with a spread of statuses, types and expiries, deterministic. */
export function manyLibraries(count: number, now: number): LibraryView[] {
  const list: LibraryView[] = []
  for (let i = 0; i < count; i++) {
    const status = STATUSES[i % STATUSES.length] ?? 'healthy'
    const expiresAt =
      status === 'expired' ? now - ((i % 50) + 1) * 3_600_000 : status === 'expiring_soon' ? now + ((i % 40) + 1) * 3_600_000 : now + (2 + (i % 5)) * 86_400_000 + (i % 97) * 60_000
    list.push({
      id: `lib-${String(i).padStart(5, '0')}`,
      name: `${WORDS[i % WORDS.length] ?? 'Café'} ${PLACES[Math.floor(i / WORDS.length) % PLACES.length] ?? 'Nord'} ${i + 1}`,
      apicbaseLibraryId: String(10_000 + i),
      apicbaseLibraryName: `Customer ${i + 1}`,
      tokenType: TYPES[i % TYPES.length] ?? 'service_account',
      scopes: ['library', 'accounts'],
      apiBaseUrl: 'https://api.apicbase.com',
      apiHost: 'api.apicbase.com',
      apiHostKind: 'apicbase',
      clientId: `client-${i}`,
      addedAt: now - 30 * 86_400_000,
      issuedAt: expiresAt - 7 * 86_400_000,
      expiresAt,
      lastRefreshedAt: now - ((i % 72) + 1) * 3_600_000,
      lastUsedAt: i % 3 === 0 ? null : now - ((i % 30) + 1) * 60_000,
      lastError:
        status === 'error' || status === 'needs_reauth'
          ? { kind: status === 'error' ? 'network' : 'invalid_grant', message: 'Simulated failure for the test.', at: now - 600_000, ...(status === 'error' ? { retryAt: now + 600_000 } : {}) }
          : null,
      tokenPreview: `…${(i * 7919).toString(16).slice(-4).padStart(4, '0')}`,
      status
    })
  }
  return list
}

export async function installFakeBridge(page: Page, options: FakeBridgeOptions): Promise<void> {
  await page.addInitScript(
    ({ libraries, rows, keys, vault, passphrase, listDelayMs, keysDelayMs, holdList, releaseName, markPrefix, team, emitName, joinCode, audit }) => {
      type Listener = (payload: unknown) => void
      const listeners = new Map<string, Set<Listener>>()
      let state = vault
      let release: () => void = () => undefined
      const released = new Promise<void>((resolve) => {
        release = resolve
      })
      if (holdList) Object.defineProperty(globalThis, releaseName, { value: () => release() })
      const emit = (name: string, payload: unknown): void => {
        for (const listener of listeners.get(name) ?? []) listener(payload)
      }
      const local = { membership: 'none', name: null, code: null, database: null, members: [] as unknown[], link: { state: 'none', since: null, reason: null } }
      let teamView: unknown = team ?? local
      // A test's event goes to the page as Larder's would; a team view sent so is what the team calls answer from then on.
      Object.defineProperty(globalThis, emitName, {
        value: (name: string, payload: unknown) => {
          if (name === 'team.changed') teamView = payload
          emit(name, payload)
        }
      })
      const redacted = (url: unknown): string => {
        const parsed = new URL(String(url))
        if (parsed.password !== '') parsed.password = '***'
        return parsed.toString()
      }
      /** Larder's TLS rule, as its refusal reads: a URL that would skip the certificate check is refused by its field. */
      const placeChecked = (input: Record<string, unknown>): void => {
        const mode = new URL(String(input['databaseUrl'])).searchParams.get('sslmode')
        if (mode !== null && mode !== 'verify-full') {
          const message = `${redacted(input['databaseUrl'])}: sslmode=${mode} would not check the server's certificate and name, and Larder always does for a server on another computer. Remove sslmode from the URL (or write sslmode=verify-full); if the server's certificate comes from your own CA, give that CA in Settings.`
          throw Object.assign(new Error(message), { field: 'teamDatabaseUrl' })
        }
      }
      const teamNow = (view: unknown): unknown => {
        teamView = view
        setTimeout(() => emit('team.changed', view), 0)
        return view
      }
      const answers: Record<string, (input: Record<string, unknown>) => unknown> = {
        'app.info': () => ({ name: 'Larder', version: 'test', host: 'browser' }),
        'vault.state': () => state,
        'vault.unlock': (input) => {
          if (input['passphrase'] !== passphrase) throw Object.assign(new Error('That passphrase does not open this vault.'), { field: 'passphrase' })
          state = { state: 'open', cipher: 'passphrase' }
          setTimeout(() => emit('vault.state', state), 0)
          return state
        },
        'libraries.list': () => rows,
        // Asked with the library list (as the window does), answered at once in the list's order (as Larder does).
        'keys.list': () => ({ keys }),
        'libraries.get': (input) => {
          const library = libraries.find((view) => view.id === input['id'])
          if (!library) throw Object.assign(new Error(`No library with id "${String(input['id'])}"`), { field: 'id' })
          return library
        },
        'settings.get': () => ({
          expiringSoonMs: 172_800_000,
          refreshAheadMs: 86_400_000,
          copyFreshnessMarginMs: 600_000,
          clipboardClearMs: 30_000,
          notifications: { expiring: true, failed: true, needsReauth: true },
          defaultApiBaseUrl: 'https://api.apicbase.com'
        }),
        'audit.page': (input) =>
          audit === null
            ? { entries: [], nextBefore: null }
            : {
                entries: audit.entries.filter((entry) => input['memberId'] === undefined || entry.member?.id === input['memberId']),
                nextBefore: null,
                ...(audit.teamTrail === undefined ? {} : { teamTrail: audit.teamTrail })
              },
        // No terminal session: Settings shows an empty list rather than a refusal.
        'terminal.sessions': () => ({ sessions: [], pending: [] }),
        'team.state': () => teamView,
        'team.create': (input) => {
          placeChecked(input)
          const member = { id: 'member-you', name: input['name'], you: true }
          return teamNow({ ...local, membership: 'member', name: input['name'], database: redacted(input['databaseUrl']), members: [member], link: { state: 'online', since: Date.now(), reason: null } })
        },
        'team.requestJoin': (input) => {
          placeChecked(input)
          return teamNow({ ...local, membership: 'joining', name: input['name'], code: joinCode, database: redacted(input['databaseUrl']) })
        },
        'team.cancelJoin': () => teamNow(local),
        'team.approve': () => {
          const view = teamView as { members: unknown[] }
          teamNow({ ...view, members: [...view.members, { id: 'member-new', name: 'New member', you: false }] })
          return { memberId: 'member-new', name: 'New member' }
        },
        // The member leaves the roster; the removal's first state is the answer and rides on the view's 'removal'.
        'team.remove': (input) => {
          const view = teamView as { members: { id: string; name: string }[] }
          const gone = view.members.find((member) => member.id === input['memberId'])
          if (!gone) throw Object.assign(new Error('No member with this id is in the team.'), { field: 'memberId' })
          const removal = {
            removed: { id: gone.id, name: gone.name },
            startedAt: Date.now(),
            resealed: { done: 0, total: 0, finished: false },
            refreshed: null,
            message: `${gone.name} was removed from the team. Larder is sealing the team's credentials under a new team key.`
          }
          teamNow({ ...view, members: view.members.filter((member) => member !== gone), removal })
          return removal
        },
        'team.leave': () => {
          const view = teamView as { membership: string; members: unknown[]; link: { state: string } }
          if (view.membership !== 'out') {
            if (view.link.state === 'offline') throw Object.assign(new Error('This machine is offline from the team: it can leave once Larder reaches the team database. Nothing was changed.'), { field: 'team' })
            if (view.members.length <= 1) throw Object.assign(new Error('You are the team’s only member: leaving would lose its credentials. Take them home instead. Nothing was changed.'), { field: 'team' })
          }
          return teamNow(local)
        },
        'team.takeHome': () => {
          const view = teamView as { link: { state: string } }
          if (view.link.state === 'offline') throw Object.assign(new Error('This machine is offline from the team: the credentials can be taken home once Larder reaches the team database. Nothing was changed.'), { field: 'team' })
          return teamNow(local)
        }
      }
      const bridge = {
        host: 'browser',
        call(name: string, input: Record<string, unknown>) {
          const answer = answers[name]
          if (!answer) return Promise.resolve({ ok: false, error: { kind: 'internal', message: `The fake bridge does not do ${name}` } })
          const settle = (): unknown => {
            let result: unknown
            try {
              result = { ok: true, value: answer(input) }
            } catch (error) {
              const e = error as Error & { field?: string }
              result = { ok: false, error: { kind: 'invalid_input', message: e.message, ...(e.field ? { field: e.field } : {}) } }
            }
            performance.mark(`${markPrefix}${name}`)
            return result
          }
          if (name === 'libraries.list' && holdList) return released.then(settle)
          if (name === 'libraries.list' && listDelayMs !== null) return new Promise((resolve) => setTimeout(() => resolve(settle()), listDelayMs))
          if (name === 'keys.list' && keysDelayMs !== null) return new Promise((resolve) => setTimeout(() => resolve(settle()), keysDelayMs))
          return Promise.resolve(settle())
        },
        on(name: string, listener: Listener) {
          const set = listeners.get(name) ?? new Set<Listener>()
          listeners.set(name, set)
          set.add(listener)
          return () => set.delete(listener)
        }
      }
      Object.defineProperty(globalThis, 'larder', { value: Object.freeze(bridge), enumerable: true })
    },
    {
      libraries: options.libraries,
      rows: options.libraries.map(listViewOf),
      // English collation: the pages here are en-US, whose order is English's.
      keys: keysInListOrder(options.keys ?? [], 'en'),
      vault: options.vault ?? ({ state: 'open', cipher: 'keychain' } as VaultState),
      passphrase: options.passphrase ?? '',
      listDelayMs: options.listDelayMs ?? null,
      keysDelayMs: options.keysDelayMs ?? null,
      holdList: options.holdList ?? false,
      releaseName: releaseListName,
      markPrefix: ANSWER_MARK_PREFIX,
      team: options.team ?? null,
      emitName: emitEventName,
      joinCode: FAKE_JOIN_CODE,
      audit: options.audit ?? null
    }
  )
}
