// The domain assembled: vault, audit trail, Apicbase client, refresh engine, library service, personal tokens
// (switching and drift) and the OAuth flow, and one stream of domain change signals: which record may look different
// now, which is gone, where a personal token's active library stands. It says nothing about views or hosts: the app
// layer (src/main/app) turns these signals into what a window, a tray or a command line shows.
import { EventEmitter } from 'node:events'
import { Agent, type Dispatcher } from 'undici'
import { createApicbaseClient, type ApicbaseClient } from './apicbase/index.ts'
import { FactualAuditLog, ignoreAuditFailure, type AuditLog } from './audit/index.ts'
import { RefreshEngine, type EngineTiming, type RefreshEngineOptions } from './engine/refresh-engine.ts'
import { HealthMonitor, type HealthMonitorOptions } from './health/health-monitor.ts'
import { KeyService } from './keys/key-service.ts'
import { KeyWatch, type KeyWatchOptions } from './keys/key-watch.ts'
import { rateLimitState } from './health/health-types.ts'
import { LibraryService, type AddedLibrary } from './libraries/library-service.ts'
import { isConnection } from './model.ts'
import { ObservedVault } from './observed-vault.ts'
import { OAuthService } from './oauth/oauth-service.ts'
import { PersonalService, type PersonalServiceOptions } from './personal/personal-service.ts'
import type { PersonalState } from './personal/personal-types.ts'
import { systemClock, type Clock } from './time/clock.ts'
import type { ExternalChange, Vault, VaultSettings } from './vault/index.ts'

export interface CoreEvents {
  /** A library record or entry may look different now (its record, status or personal token changed). */
  changed: [id: string]
  /** A library record or entry is gone. */
  removed: [id: string]
  /** Where a personal token's active library stands; its rows are announced as changed in the same turn. */
  'personal.active': [PersonalState]
  /** The settings changed (notification toggles, thresholds). */
  settings: [VaultSettings]
  /** A key of another system may look different now (its record changed, or its status by the clock). */
  'key.changed': [id: string]
  /** A key of another system is gone. */
  'key.removed': [id: string]
}

/** Where a copied value goes. The clipboard adapter marks it sensitive and clears it later. */
export interface SecretSink {
  copySecret(
    text: string,
    options: { readonly clearAfterMs: number }
  ): { readonly clearsAt: number | null; readonly written?: Promise<void> }
}

export interface LarderCoreOptions {
  readonly vault: Vault
  readonly audit: AuditLog
  readonly client?: ApicbaseClient
  readonly clock?: Clock
  readonly engine?: Partial<Omit<RefreshEngineOptions, 'vault' | 'client' | 'clock' | 'audit' | 'timing'>>
  readonly personal?: Partial<Pick<PersonalServiceOptions, 'perTokenPerMinute' | 'checkEveryMs' | 'maxQueued'>>
  readonly health?: Partial<Pick<HealthMonitorOptions, 'timing' | 'random' | 'scheduled'>>
  /** The HTTP pool for checks of other systems' keys (default: one of the core's own, closed with it). */
  readonly keyDispatcher?: Dispatcher
  readonly keyWatch?: Partial<Pick<KeyWatchOptions, 'timing' | 'random'>>
}

export class LarderCore extends EventEmitter<CoreEvents> {
  /** The vault as every service sees it: each write announces the records it touched. */
  readonly vault: Vault
  readonly audit: AuditLog
  readonly client: ApicbaseClient
  readonly clock: Clock
  readonly engine: RefreshEngine
  /** A daily cheap read per library (and one before a copy), so a token revoked at Apicbase shows before its refresh fails. */
  readonly health: HealthMonitor
  readonly libraries: LibraryService
  /** Personal tokens: one queue per token, switching before acting, drift detection. */
  readonly personal: PersonalService
  /** Connecting a personal token through OAuth's authorization-code flow. */
  readonly oauth: OAuthService
  /** Keys of other systems (SafetyCulture, Airtable, admin-managed service tokens). */
  readonly keys: KeyService
  /** Their statuses that change with the clock, their planned checks and SafetyCulture's keep-alive. */
  readonly keyWatch: KeyWatch
  readonly #ownsClient: boolean
  readonly #ownKeyDispatcher: Agent | null
  /** The audit trail as every service writes to it: each entry about a library says which library it was. */
  readonly #factualAudit: FactualAuditLog
  /** The keys announced as there: a re-read file that lacks one of them removed it, and it is announced gone. */
  #knownKeys: Set<string>

  constructor(options: LarderCoreOptions) {
    super()
    this.vault = new ObservedVault(options.vault, {
      changed: (id) => this.#recordChanged(id),
      removed: (id) => {
        this.health.untrack(id)
        this.emit('removed', id)
      },
      settings: (settings) => this.emit('settings', settings),
      keyChanged: (id) => {
        this.#knownKeys.add(id)
        this.keyWatch.track(id)
        this.emit('key.changed', id)
      },
      keyRemoved: (id) => this.#keyGone(id)
    })
    this.#knownKeys = new Set(options.vault.keys().map((key) => key.id))
    this.#factualAudit = new FactualAuditLog(options.audit, this.vault)
    this.audit = this.#factualAudit
    this.clock = options.clock ?? systemClock
    this.#ownsClient = options.client === undefined
    this.client = options.client ?? createApicbaseClient({ now: () => this.clock.now() })
    this.engine = new RefreshEngine({
      vault: this.vault,
      client: this.client,
      clock: this.clock,
      audit: this.audit,
      timing: engineTiming(() => this.vault.settings()),
      ...options.engine
    })
    this.health = new HealthMonitor({ vault: this.vault, client: this.client, engine: this.engine, clock: this.clock, audit: this.audit, ...options.health })
    this.personal = new PersonalService({
      vault: this.vault,
      client: this.client,
      tokens: this.engine,
      clock: this.clock,
      audit: this.audit,
      ...options.personal
    })
    this.libraries = new LibraryService({
      vault: this.vault,
      client: this.client,
      engine: this.engine,
      clock: this.clock,
      audit: this.audit,
      personal: this.personal,
      readings: {
        health: (id) => this.health.state(id),
        rateLimit: (meta) => rateLimitState(this.client, meta, this.clock.now())
      }
    })
    this.oauth = new OAuthService({
      client: this.client,
      clock: this.clock,
      store: (token) => this.libraries.addExchanged(token),
      defaultApiBaseUrl: () => this.vault.settings().defaultApiBaseUrl,
      record: (entry) => void this.audit.append(entry).catch(ignoreAuditFailure),
      onConnected: (added) => {
        this.connected(added)
        return this.libraries.get(added.library.id)
      }
    })
    this.#ownKeyDispatcher = options.keyDispatcher === undefined ? new Agent({ connections: 4, connectTimeout: 10_000 }) : null
    this.keys = new KeyService({ vault: this.vault, clock: this.clock, audit: this.audit, dispatcher: options.keyDispatcher ?? (this.#ownKeyDispatcher as Agent) })
    this.keyWatch = new KeyWatch({ keys: this.keys, vault: this.vault, clock: this.clock, announce: (id) => this.emit('key.changed', id), ...options.keyWatch })
    // Statuses the engine derives (refreshing, expiring by the clock) change views without a write: no record changed.
    this.engine.on('status', ({ id }) => this.#announce(id))
    const changed = ({ id }: { readonly id: string }): void => this.#recordChanged(id)
    this.engine.on('failed', changed)
    this.engine.on('needsReauth', changed)
    this.health.on('checked', changed)
    this.personal.on('active', (state) => {
      this.emit('personal.active', state)
      this.#recordChanged(state.connectionId)
    })
  }

  start(): void {
    this.engine.start()
    this.personal.start()
    this.health.start()
    this.keyWatch.start()
  }

  /** After sleep, resume or a clock change. Idempotent. */
  wake(): void {
    this.engine.reevaluate()
    this.personal.reevaluate()
    this.health.reevaluate()
    this.keyWatch.reevaluate()
  }

  /**
   * The vault file changed behind our back and was re-read: plan and show everything again. A key or library the file
   * no longer holds (removed by another Larder, or a file put back from before it was added) is announced gone and its
   * timers dropped, as when it is removed here. (A library holding a live refresh token is kept from memory by the
   * vault, so it is not among `change.removed`.)
   */
  reloaded(change: Pick<ExternalChange, 'removed'> = { removed: [] }): void {
    for (const id of change.removed) {
      if (this.#knownKeys.has(id) || this.vault.get(id) !== undefined) continue
      this.engine.untrack(id)
      this.health.untrack(id)
      this.emit('removed', id)
    }
    for (const meta of this.vault.list()) this.engine.track(meta.id)
    this.personal.reloaded()
    for (const meta of this.vault.list()) this.#recordChanged(meta.id)
    const before = this.#knownKeys
    this.#knownKeys = new Set()
    for (const key of this.vault.keys()) {
      this.#knownKeys.add(key.id)
      this.keyWatch.track(key.id)
      this.emit('key.changed', key.id)
    }
    for (const id of before) if (!this.#knownKeys.has(id)) this.#keyGone(id)
  }

  /**
   * Records other members of the team wrote, as the team vault took them in: only these are tracked and announced
   * again (a refresh elsewhere changes one row; re-announcing every library for it would cost the window a whole list).
   */
  teamChanged(change: Pick<ExternalChange, 'added' | 'changed' | 'removed'>): void {
    for (const id of change.removed) {
      if (this.vault.get(id) !== undefined || this.vault.entry(id) !== undefined) continue
      this.engine.untrack(id)
      this.health.untrack(id)
      this.emit('removed', id)
    }
    for (const id of [...change.added, ...change.changed]) {
      if (this.vault.get(id) !== undefined) this.engine.track(id)
      if (this.vault.get(id) !== undefined || this.vault.entry(id) !== undefined) this.#recordChanged(id)
    }
    this.personal.reloaded()
  }

  /** Thresholds moved: statuses and deadlines follow. */
  replan(): void {
    for (const meta of this.vault.list()) this.engine.track(meta.id)
  }

  /** A library was added (pasted, or a personal token connected through OAuth): its token is watched from now on. */
  connected(added: AddedLibrary): void {
    const { library, found } = added
    if (!isConnection(library)) return
    if (found) this.personal.observed(library.id, found)
    this.personal.track(library.id)
  }

  /** Lets refreshes in flight finish (so none is cut off between the server's answer and our write), then closes. */
  async close(): Promise<void> {
    this.engine.stop()
    this.personal.stop()
    this.health.stop()
    this.keyWatch.stop()
    await this.oauth.close()
    await this.personal.settled()
    await this.health.settled()
    await this.keyWatch.settled()
    await this.engine.settled()
    await this.vault.close()
    await this.audit.close()
    if (this.#ownsClient) await this.client.close()
    await this.#ownKeyDispatcher?.close()
  }

  /** A key is no longer in the vault: its timers go and it is announced gone. */
  #keyGone(id: string): void {
    this.#knownKeys.delete(id)
    this.keyWatch.untrack(id)
    this.emit('key.removed', id)
  }

  /** A record may have changed: its health checks and audit facts follow, then it is announced. */
  #recordChanged(id: string): void {
    // Every write passes here: a library added, re-authorized, reloaded or gone gets its health checks planned or dropped.
    this.health.track(id)
    this.#factualAudit.note(id)
    this.#announce(id)
  }

  /** Announces a library; a personal token's record brings the libraries that share its token along. */
  #announce(id: string): void {
    this.emit('changed', id)
    const meta = this.vault.get(id)
    if (meta && isConnection(meta)) for (const shared of this.libraries.entriesOf(id)) this.emit('changed', shared.id)
  }
}

/** The engine's timing, one object per settings object (the vault hands out the same one until the settings change). */
function engineTiming(settings: () => VaultSettings): () => EngineTiming {
  let seen: VaultSettings | null = null
  let timing: EngineTiming | null = null
  return () => {
    const current = settings()
    if (current !== seen || timing === null) {
      seen = current
      timing = { expiringSoonMs: current.expiringSoonMs, refreshAheadMs: current.refreshAheadMs, jitterMs: 30 * 60_000 }
    }
    return timing
  }
}
