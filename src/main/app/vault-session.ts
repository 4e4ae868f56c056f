// Getting from "Larder started" to "the vault is open": with the OS keychain when it is trustworthy, with a
// passphrase when it is not (Linux without a secret service), and with a clear stop when the file is damaged.
// Plain TypeScript: the Electron app and the browser host both drive it.
import { EventEmitter } from 'node:events'
import type { VaultState } from '../../shared/contract.ts'
import { openAuditLog, type AuditInput, type AuditLog } from '../core/audit/index.ts'
import { InputError } from '../core/errors.ts'
import type { LarderCore } from '../core/larder-core.ts'
import type { TeamSyncState } from '../core/team/sync.ts'
import type { TeamMode } from './team/team-mode.ts'
import {
  createPassphraseCipher,
  openVault,
  readVaultHeader,
  restoreBackup,
  VaultCorruptError,
  WrongPassphraseError,
  type Cipher,
  type JsonFileStore,
  type OpenVaultOptions,
  type ScryptCost,
  type Vault
} from '../core/vault/index.ts'

export interface VaultSessionOptions {
  readonly vaultPath: string
  readonly auditPath: string
  readonly openStore: () => JsonFileStore
  /** The OS keychain cipher when it is trustworthy here; null means a passphrase is needed. */
  readonly keychain: Cipher | null
  readonly makeCore: (vault: Vault, audit: AuditLog) => LarderCore
  readonly now?: () => number
  readonly scryptCost?: ScryptCost
  /** The team vault and trail when this vault is a member of a team (app/team/team-mode.ts); absent or null: local. */
  readonly openTeam?: (vault: Vault, audit: AuditLog) => Promise<TeamMode | null>
}

export class VaultSession extends EventEmitter<{ state: [VaultState]; team: [TeamSyncState] }> {
  readonly #options: VaultSessionOptions
  #state: VaultState = { state: 'opening' }
  #core: LarderCore | null = null
  /** Opened on first use, before the vault is: a wrong passphrase is recorded too. The core closes it with itself. */
  #audit: Promise<AuditLog> | null = null
  /** The cipher the open vault was opened with: a reopen (after joining a team) asks for nothing again. */
  #cipher: Cipher | null = null
  #team: TeamMode | null = null

  constructor(options: VaultSessionOptions) {
    super()
    this.#options = options
  }

  core(): LarderCore | null {
    return this.#core
  }

  state(): VaultState {
    return this.#state
  }

  /** The team vault the core runs on; null for a local vault (or none open). */
  teamVault(): TeamMode['vault'] | null {
    return this.#team?.vault ?? null
  }

  /** Online or offline from the team; null for a local vault (or none open). */
  teamState(): TeamSyncState | null {
    return this.#team?.vault.teamState() ?? null
  }

  /** Closes and opens the vault again with the same key: a vault that just joined or made a team opens as a team vault. */
  async reopen(): Promise<VaultState> {
    const cipher = this.#cipher
    if (this.#state.state !== 'open' || cipher === null) throw new InputError('vault', `The vault is ${this.#state.state}, not open`)
    // Said first, so that a call made meanwhile is told the vault is opening rather than meeting a closed one.
    this.#set({ state: 'opening' })
    await this.close()
    return this.#open(cipher, () => openVault(this.#vaultOptions(cipher)))
  }

  /** Opens at once where no passphrase is needed; otherwise waits, locked, for `unlock`. */
  async start(): Promise<VaultState> {
    let header
    try {
      header = readVaultHeader(this.#options.vaultPath)
    } catch (error) {
      return this.#failedToOpen(error)
    }
    const kind = header?.cipher.kind
    if (kind === 'passphrase') return this.#set({ state: 'locked', mode: 'unlock' })
    if (kind === undefined && !this.#options.keychain) return this.#set({ state: 'locked', mode: 'create' })
    if (!this.#options.keychain) {
      return this.#set({
        state: 'failed',
        message: `The vault is sealed with the operating system's keychain ("${kind}"), which is not available now. Start Larder in your desktop session (with its keyring unlocked).`
      })
    }
    return this.#open(this.#options.keychain, () => openVault(this.#vaultOptions(this.#options.keychain!)))
  }

  /** Unlocks (or, for a new vault, creates) with a passphrase. A wrong one changes nothing. */
  async unlock(passphrase: string): Promise<VaultState> {
    if (this.#state.state !== 'locked') throw new InputError('passphrase', `The vault is ${this.#state.state}, not locked`)
    const header = readVaultHeader(this.#options.vaultPath)
    const creating = header === null
    let cipher: Cipher
    try {
      cipher = await this.#passphraseCipher(passphrase, header?.cipher)
    } catch (error) {
      await this.#record({ action: 'unlocked', outcome: 'error', detail: error instanceof InputError ? error.message : 'the passphrase could not be checked' })
      throw error
    }
    const state = await this.#open(cipher, () => openVault(this.#vaultOptions(cipher)))
    const opened = state.state === 'open'
    await this.#record({
      action: 'unlocked',
      outcome: opened ? 'ok' : 'error',
      detail: opened ? (creating ? 'new vault created with a passphrase' : 'with the passphrase') : `the vault did not open: ${state.state}`
    })
    return state
  }

  /** Puts the last good backup in place of a damaged vault (the damaged file is kept beside it) and opens it. */
  async restoreBackup(passphrase?: string): Promise<VaultState> {
    const state = this.#state
    if (state.state !== 'damaged' || state.backupSavedAt === null) throw new InputError('backup', 'There is no backup to restore')
    const header = readVaultHeader(`${this.#options.vaultPath}.bak`)
    let cipher: Cipher
    if (header?.cipher.kind === 'passphrase') {
      if (passphrase === undefined) throw new InputError('passphrase', 'The backup is sealed with a passphrase: enter it to restore')
      cipher = await this.#passphraseCipher(passphrase, header.cipher)
    } else if (this.#options.keychain) {
      cipher = this.#options.keychain
    } else {
      throw new InputError('backup', "The backup is sealed with the operating system's keychain, which is not available now")
    }
    const restored = await this.#open(cipher, () => restoreBackup(this.#vaultOptions(cipher)))
    const savedAt = new Date(state.backupSavedAt).toISOString()
    await this.#record(
      restored.state === 'open'
        ? { action: 'restored', outcome: 'ok', detail: `vault restored from the backup saved ${savedAt}; the damaged file is kept beside it` }
        : { action: 'restored', outcome: 'error', detail: `the backup saved ${savedAt} did not open: ${restored.state}` }
    )
    return restored
  }

  /**
   * Closes a passphrase vault while the app goes on ("lock and forget the key"): refreshes in flight finish writing,
   * the core and its timers stop, the key leaves memory, and the state is 'locked' until `unlock`.
   */
  async seal(): Promise<VaultState> {
    const state = this.#state
    if (state.state !== 'open' || state.cipher !== 'passphrase') throw new InputError('forget', `Only an open passphrase vault can be closed this way (it is ${state.state}).`)
    await this.close()
    return this.#set({ state: 'locked', mode: 'unlock' })
  }

  async close(): Promise<void> {
    const core = this.#core
    this.#core = null
    this.#team = null
    if (core) await core.close()
    else await (await this.#audit?.catch(() => null))?.close()
    this.#audit = null
  }

  #auditLog(): Promise<AuditLog> {
    this.#audit ??= openAuditLog({ path: this.#options.auditPath, ...(this.#options.now ? { now: this.#options.now } : {}) }).catch((error: unknown) => {
      this.#audit = null // tried again next time, as before
      throw error
    })
    return this.#audit
  }

  /** An entry about the vault as a whole; a trail that cannot be written never stops the vault opening. */
  async #record(entry: Pick<AuditInput, 'action' | 'outcome' | 'detail'>): Promise<void> {
    try {
      await (await this.#auditLog()).append({ libraryId: null, libraryName: null, ...entry })
    } catch {
      // The trail's own failure is reported where it is read (the audit view); opening must not depend on it.
    }
  }

  async #passphraseCipher(passphrase: string, header: Parameters<typeof createPassphraseCipher>[1]): Promise<Cipher> {
    if (typeof passphrase !== 'string') throw new InputError('passphrase', 'The passphrase must be text')
    try {
      const options = this.#options.scryptCost ? { cost: this.#options.scryptCost } : {}
      return (await createPassphraseCipher(passphrase, header, options)).cipher
    } catch (error) {
      if (error instanceof WrongPassphraseError) throw new InputError('passphrase', error.message)
      throw error
    }
  }

  async #open(cipher: Cipher, open: () => Promise<Vault>): Promise<VaultState> {
    let vault: Vault
    try {
      vault = await open()
    } catch (error) {
      return this.#failedToOpen(error)
    }
    const audit = await this.#auditLog()
    let team: TeamMode | null
    try {
      team = (await this.#options.openTeam?.(vault, audit)) ?? null
    } catch (error) {
      await vault.close().catch(() => undefined)
      return this.#failedToOpen(new Error(`The vault's team could not be opened: ${error instanceof Error ? error.message : String(error)} Nothing was changed.`))
    }
    const core = this.#options.makeCore(team?.vault ?? vault, team?.audit ?? audit)
    this.#core = core
    this.#cipher = cipher
    this.#team = team
    if (team !== null) {
      // What other members changed is announced as an outside edit of the vault is; back online, timers plan again.
      team.vault.on('changed', (change) => (this.#core === core ? core.teamChanged(change) : undefined))
      team.vault.on('state', (state) => {
        if (this.#core !== core) return
        if (state.state === 'online') core.wake()
        this.emit('team', state)
      })
    }
    core.start()
    return this.#set({ state: 'open', cipher: cipher.kind === 'passphrase' ? 'passphrase' : 'keychain' })
  }

  #vaultOptions(cipher: Cipher): OpenVaultOptions {
    return {
      path: this.#options.vaultPath,
      openStore: this.#options.openStore,
      cipher,
      ...(this.#options.now ? { now: this.#options.now } : {}),
      onExternalChange: (change) => this.#core?.reloaded(change)
    }
  }

  #failedToOpen(error: unknown): VaultState {
    if (error instanceof VaultCorruptError) {
      return this.#set({ state: 'damaged', message: error.message, backupSavedAt: error.backup?.savedAt ?? null })
    }
    return this.#set({ state: 'failed', message: error instanceof Error ? error.message : String(error) })
  }

  #set(state: VaultState): VaultState {
    this.#state = state
    this.emit('state', state)
    return state
  }
}
