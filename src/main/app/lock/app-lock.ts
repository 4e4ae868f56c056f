// The app lock: it guards people, not refreshes. Locked ('guarded'), the vault stays open in the main process and its
// timers go on refreshing tokens, but no library or key reaches a window (guard-calls.ts), the tray lists none, and a
// terminal call needs the passphrase. It locks when a person asks (window, tray, `larder lock`), after the chosen idle
// time (the system's idle time, checked on the app's clock), and when the screen locks or the computer sleeps (each a
// setting). It unlocks with the passphrase (the vault's own, or a keychain vault's lock passphrase) or, where the OS
// has one, its user-presence prompt. "Lock and forget the key" closes a passphrase vault: refreshes stop until unlock.
import type { LockInfoView, LockReason, VaultState } from '../../../shared/contract.ts'
import { ignoreAuditFailure, type AuditInput } from '../../core/audit/index.ts'
import { InputError } from '../../core/errors.ts'
import type { Clock, TimerHandle } from '../../core/time/clock.ts'
import type { VaultSettings, VaultSettingsPatch } from '../../core/vault/index.ts'
import type { LockSecret } from './lock-secret.ts'
import type { IdlePort, PresencePort } from './lock-ports.ts'
import { UnlockAttempts } from './unlock-attempts.ts'

/** What the lock reads of the open core. */
export interface LockedCore {
  readonly vault: { settings(): VaultSettings; updateSettings(patch: VaultSettingsPatch): Promise<VaultSettings> }
  readonly audit: { append(entry: AuditInput): Promise<unknown> }
}

export interface AppLockOptions {
  readonly clock: Clock
  /** The vault session's own state ('open': the core runs), not the lock's view of it. */
  readonly vaultState: () => VaultState
  readonly core: () => LockedCore | null
  /** Closes a passphrase vault ("forget the key"); answers the state after it ('locked'). */
  readonly seal: () => Promise<VaultState>
  readonly secret: LockSecret
  readonly presence?: PresencePort | undefined
  readonly idle?: IdlePort | undefined
  /** The lock engaged, changed (a wrong passphrase, a waiting copy) or let go: publish the state. */
  readonly changed: () => void
  /** It engaged: what waits for a person's answer in the window cannot get one now. */
  readonly engaged?: () => void
}

/** A tray copy's answer when the lock did not let it happen (it gave way to a later one, or the key was forgotten). */
export interface LockedAnswer {
  readonly ok: false
  readonly error: { readonly kind: 'locked'; readonly message: string }
}

export const LOCKED_NOTE = 'Larder is locked. Tokens go on being refreshed in the background; nothing is shown, copied or handed to a terminal until you unlock.'
const FORGOT_NOTE = 'Larder closed the vault and forgot its key: no token is refreshed until you unlock it with your passphrase, so tokens can expire meanwhile.'
const KEYCHAIN_FORGET = "This vault is sealed by the system keychain, which hands its key back to Larder without asking you, so Larder cannot forget it. Lock now keeps Larder locked while tokens go on being refreshed."
const NEEDS_PASSPHRASE = 'Choose a lock passphrase first: this vault is sealed by the system keychain, so the lock needs a passphrase of its own to unlock with.'

const PRESENCE_WORDS = { touch_id: 'Touch ID' } as const

interface Guard {
  readonly since: number
  readonly reason: LockReason
}

interface Waiting {
  run(): void
  cancel(message: string): void
}

export class AppLock {
  readonly #options: AppLockOptions
  readonly #attempts = new UnlockAttempts()
  #guard: Guard | null = null
  #waiting: Waiting | null = null
  #idleTimer: TimerHandle | null = null
  /**
   * When a person surely acted here (the vault opened, an unlock, a new lock passphrase): idle time counts from then at
   * the latest, whatever the system says (Touch ID's sensor, for one, is not input to it).
   */
  #activeAt: number
  #vaultWasOpen = false
  readonly #lockedListeners = new Set<() => void>()
  /** Passphrases are checked one at a time, so every try sees the count the one before left. */
  #checking: Promise<unknown> = Promise.resolve()

  constructor(options: AppLockOptions) {
    this.#options = options
    this.#activeAt = options.clock.now()
  }

  guarded(): boolean {
    return this.#guard !== null
  }

  /** Called each time Larder locks (the Electron host clears a token Larder left on the clipboard). */
  onLocked(listener: () => void): () => void {
    this.#lockedListeners.add(listener)
    return () => void this.#lockedListeners.delete(listener)
  }

  /** The state a window sees: the vault's own, or 'guarded' while the lock is on. */
  view(vault: VaultState = this.#options.vaultState()): VaultState {
    const guard = this.#guard
    if (guard === null || vault.state !== 'open') return vault
    return {
      state: 'guarded',
      cipher: vault.cipher,
      since: guard.since,
      reason: guard.reason,
      unlockWith: this.#presenceNow() === null ? ['passphrase'] : ['presence', 'passphrase'],
      failures: this.#attempts.failures,
      retryAt: this.#attempts.retryAt,
      waiting: this.#waiting === null ? null : 'copy'
    }
  }

  info(): LockInfoView {
    const vault = this.#options.vaultState()
    const cipher = vault.state === 'open' ? vault.cipher : null
    const presence = this.#presenceNow()
    return {
      available: true,
      locked: this.#guard !== null,
      passphrase: cipher === null ? 'none' : this.#options.secret.source(cipher, this.#verifier()),
      presence: presence === null ? null : presence.kind,
      idle: this.#options.idle ? 'system' : 'none',
      canForget: cipher === 'passphrase',
      forgetNote: cipher === 'keychain' ? KEYCHAIN_FORGET : 'Closes the vault and forgets its key: no token is refreshed until you unlock it with your passphrase.'
    }
  }

  /** "Lock now" from a person (`from`: where, for the audit trail). */
  async now(from = 'from the window'): Promise<{ state: VaultState; note: string }> {
    const vault = this.#options.vaultState()
    if (vault.state !== 'open') return { state: vault, note: vault.state === 'locked' ? 'The vault is locked already: no token is refreshed until it is unlocked.' : LOCKED_NOTE }
    if (!this.#canEngage(vault.cipher)) throw new InputError('passphrase', NEEDS_PASSPHRASE)
    this.#engage('now', `locked now, ${from}`)
    return { state: this.view(), note: LOCKED_NOTE }
  }

  /** "Lock and forget the key": a passphrase vault is closed (refreshes stop); a keychain vault cannot forget. */
  async forget(from = 'from the window'): Promise<{ state: VaultState; note: string }> {
    const vault = this.#options.vaultState()
    if (vault.state === 'locked') return { state: vault, note: FORGOT_NOTE }
    if (vault.state !== 'open') throw new InputError('forget', `The vault is not open (${vault.state}): there is no key in memory to forget.`)
    if (vault.cipher === 'keychain') throw new InputError('forget', KEYCHAIN_FORGET)
    this.#record({ action: 'locked', outcome: 'ok', detail: `locked and the key forgotten, ${from}: refreshes stop until the vault is unlocked` })
    this.#let('Larder closed the vault and forgot its key: unlock it, then copy again.')
    this.#guard = null
    this.#attempts.reset()
    return { state: await this.#options.seal(), note: FORGOT_NOTE }
  }

  /** Unlocks with the passphrase or the OS's prompt; a wrong passphrase is counted and audited, and changes nothing. */
  async unlock(secret: { readonly passphrase: string } | { readonly presence: true }, from = 'in the window'): Promise<VaultState> {
    const guard = this.#guard
    if (guard === null) return this.view()
    let how: string
    if ('passphrase' in secret) {
      await this.#check(secret.passphrase, from)
      how = `with the passphrase, ${from}`
    } else {
      const presence = this.#presenceNow()
      if (presence === null) throw new InputError('presence', 'This computer offers no system prompt to unlock with: use the passphrase.')
      const word = PRESENCE_WORDS[presence.kind]
      if (!(await presence.confirm('unlock Larder'))) {
        this.#record({ action: 'unlocked', outcome: 'error', detail: `${word} did not confirm, ${from}; Larder stays locked` })
        throw new InputError('presence', `${word} did not confirm it was you: use the passphrase.`)
      }
      how = `with ${word}, ${from}`
    }
    if (this.#guard === guard) this.#release(how)
    return this.view()
  }

  /** A terminal call that came with the passphrase: checked (and counted) like an unlock, answered once; Larder stays locked. */
  async allowOneCall(passphrase: string, from: string): Promise<void> {
    await this.#check(passphrase, from)
    this.#record({ action: 'unlocked', outcome: 'ok', detail: `one call with the passphrase, ${from}; Larder stays locked` })
  }

  /** A keychain vault's lock passphrase (its verifier only is kept); `current` must match the one set before. */
  async setPassphrase(passphrase: string, current: string | undefined): Promise<LockInfoView> {
    const vault = this.#options.vaultState()
    const core = this.#options.core()
    if (vault.state !== 'open' || core === null) throw new InputError('passphrase', `The vault is not open (${vault.state}).`)
    if (vault.cipher === 'passphrase') throw new InputError('passphrase', "This vault unlocks with its own passphrase, and so does the lock: there is no separate lock passphrase to set.")
    const before = core.vault.settings().lockVerifier
    if (before !== null) {
      if (current === undefined) throw new InputError('current', 'Enter the lock passphrase set now to change it.')
      try {
        await this.#check(current, 'changing the lock passphrase')
      } catch (error) {
        if (error instanceof InputError) throw new InputError('current', error.message)
        throw error
      }
    }
    const verifier = await this.#options.secret.verifierFor(passphrase)
    // The person is here, choosing it: the idle lock counts from now (the settings' change plans it again at once).
    this.#activeAt = this.#options.clock.now()
    await core.vault.updateSettings({ lockVerifier: verifier })
    this.#record({ action: 'settings_changed', outcome: 'ok', detail: before === null ? 'lock passphrase set' : 'lock passphrase changed' })
    this.replan()
    return this.info()
  }

  /** The screen locked or the computer is going to sleep: locks when its setting says so (default on). */
  system(event: 'screen' | 'suspend'): void {
    const vault = this.#options.vaultState()
    const settings = this.#options.core()?.vault.settings().lock
    if (vault.state !== 'open' || settings === undefined) return
    if (event === 'screen' ? !settings.onScreenLock : !settings.onSuspend) return
    if (this.#canEngage(vault.cipher)) this.#engage(event, event === 'screen' ? 'locked: the screen locked' : 'locked: the computer went to sleep')
  }

  /**
   * Runs `action` now, or once Larder is unlocked: the window is shown (on its lock screen) and, where the OS has a
   * presence prompt, it is asked first. A later one takes the place of one still waiting, which then answers 'locked'.
   */
  whenUnlocked<T>(action: () => Promise<T>, reveal: () => void): Promise<T | LockedAnswer> {
    if (this.#guard === null) return action()
    return new Promise<T | LockedAnswer>((resolve) => {
      this.#let('A later copy took its place.')
      this.#waiting = { run: () => resolve(action()), cancel: (message) => resolve({ ok: false, error: { kind: 'locked', message } }) }
      this.#options.changed()
      reveal()
      if (this.#presenceNow() !== null) void this.unlock({ presence: true }, 'from the tray').catch(() => undefined)
    })
  }

  /** Plans the next idle check: the idle time is read again when the limit could first be reached. */
  replan(): void {
    if (this.#idleTimer !== null) this.#options.clock.clearTimeout(this.#idleTimer)
    this.#idleTimer = null
    const vault = this.#options.vaultState()
    const minutes = this.#options.core()?.vault.settings().lock.idleMinutes ?? 0
    if (this.#guard !== null || this.#options.idle === undefined || vault.state !== 'open' || minutes === 0) return
    const limitMs = minutes * 60_000
    const idleMs = Math.max(0, Math.min(idleSeconds(this.#options.idle) * 1000, this.#options.clock.now() - this.#activeAt))
    if (idleMs >= limitMs && this.#canEngage(vault.cipher)) {
      this.#engage('idle', `locked after ${minutes} min without input`)
      return
    }
    const wait = idleMs >= limitMs ? limitMs : limitMs - idleMs
    this.#idleTimer = this.#options.clock.setTimeout(() => {
      this.#idleTimer = null
      this.replan()
    }, Math.max(1_000, wait))
    this.#idleTimer.unref?.()
  }

  /** The vault opened, closed or changed state: a lock over a vault that is no longer open goes with it. */
  vaultChanged(): void {
    const vault = this.#options.vaultState()
    const open = vault.state === 'open'
    const opening = open && !this.#vaultWasOpen
    if (opening) this.#activeAt = this.#options.clock.now()
    this.#vaultWasOpen = open
    // The keychain opened it without asking anyone: with a lock passphrase set, Larder starts locked, or quitting and
    // starting it again would get round the lock. (A passphrase vault was just unlocked by its passphrase.)
    if (opening && vault.cipher === 'keychain' && this.#canEngage('keychain')) {
      this.#engage('start', 'locked at start: the system keychain opened the vault without asking')
      return
    }
    if (!open && this.#guard !== null) {
      this.#guard = null
      this.#attempts.reset()
      this.#let('The vault closed before Larder was unlocked.')
    }
    this.replan()
  }

  close(): void {
    if (this.#idleTimer !== null) this.#options.clock.clearTimeout(this.#idleTimer)
    this.#idleTimer = null
    this.#let('Larder is closing.')
  }

  #engage(reason: LockReason, detail: string): void {
    if (this.#guard !== null) return
    this.#guard = { since: this.#options.clock.now(), reason }
    this.#attempts.reset()
    this.replan()
    this.#record({ action: 'locked', outcome: 'ok', detail })
    this.#options.engaged?.()
    for (const listener of [...this.#lockedListeners]) {
      try {
        listener()
      } catch {
        // A host's listener failing must not leave the lock half on.
      }
    }
    this.#options.changed()
  }

  #release(how: string): void {
    this.#guard = null
    this.#activeAt = this.#options.clock.now()
    this.#attempts.reset()
    this.#record({ action: 'unlocked', outcome: 'ok', detail: `the app lock, ${how}` })
    this.#options.changed()
    this.replan()
    const waiting = this.#waiting
    this.#waiting = null
    waiting?.run()
  }

  /** Checks a passphrase against the lock's, one at a time; wrong: counted, audited, refused (field 'passphrase'). */
  #check(passphrase: string, from: string): Promise<void> {
    const checked = this.#checking.then(async () => {
      const vault = this.#options.vaultState()
      if (vault.state !== 'open') throw new InputError('passphrase', `The vault is not open (${vault.state}).`)
      this.#attempts.checkAllowed(this.#options.clock.now())
      if (await this.#options.secret.matches(vault.cipher, this.#verifier(), passphrase)) {
        if (this.#attempts.failures > 0) {
          this.#attempts.reset()
          this.#options.changed()
        }
        return
      }
      this.#attempts.failed(this.#options.clock.now())
      this.#record({ action: 'unlocked', outcome: 'error', detail: `wrong passphrase for the app lock, ${from} (${this.#attempts.failures} in a row)` })
      this.#options.changed()
      throw new InputError('passphrase', 'That passphrase does not unlock Larder.')
    })
    this.#checking = checked.catch(() => undefined)
    return checked
  }

  /** Settles what waits for the unlock with a refusal saying why. */
  #let(message: string): void {
    const waiting = this.#waiting
    this.#waiting = null
    waiting?.cancel(message)
  }

  #canEngage(cipher: 'keychain' | 'passphrase'): boolean {
    return this.#options.secret.source(cipher, this.#verifier()) !== 'none'
  }

  #verifier(): VaultSettings['lockVerifier'] {
    return this.#options.core()?.vault.settings().lockVerifier ?? null
  }

  #presenceNow(): PresencePort | null {
    const presence = this.#options.presence
    return presence !== undefined && presence.available() ? presence : null
  }

  #record(entry: Pick<AuditInput, 'action' | 'outcome' | 'detail'>): void {
    this.#options.core()?.audit.append({ libraryId: null, libraryName: null, ...entry }).catch(ignoreAuditFailure)
  }
}

/** The idle time as the host reads it; a host that cannot say counts as not idle (never locks by itself). */
function idleSeconds(idle: IdlePort): number {
  try {
    const seconds = idle.seconds()
    return Number.isFinite(seconds) ? seconds : 0
  } catch {
    return 0
  }
}
