// Getting from "Larder started" to "the vault is open": with the OS keychain when it is trustworthy, with a
// passphrase when it is not (Linux without a secret service), and with a clear stop when the file is damaged.
// Plain TypeScript: the Electron app and the browser host both drive it.
import { EventEmitter } from 'node:events'
import type { VaultState } from '../../shared/contract.ts'
import { openAuditLog, type AuditLog } from '../core/audit/index.ts'
import { InputError } from '../core/errors.ts'
import type { LarderCore } from '../core/larder-core.ts'
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
}

export class VaultSession extends EventEmitter<{ state: [VaultState] }> {
  readonly #options: VaultSessionOptions
  #state: VaultState = { state: 'opening' }
  #core: LarderCore | null = null

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
    const cipher = await this.#passphraseCipher(passphrase, header?.cipher)
    return this.#open(cipher, () => openVault(this.#vaultOptions(cipher)))
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
    return this.#open(cipher, () => restoreBackup(this.#vaultOptions(cipher)))
  }

  async close(): Promise<void> {
    const core = this.#core
    this.#core = null
    await core?.close()
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
    const audit = await openAuditLog({ path: this.#options.auditPath, ...(this.#options.now ? { now: this.#options.now } : {}) })
    const core = this.#options.makeCore(vault, audit)
    this.#core = core
    core.start()
    return this.#set({ state: 'open', cipher: cipher.kind === 'passphrase' ? 'passphrase' : 'keychain' })
  }

  #vaultOptions(cipher: Cipher): OpenVaultOptions {
    return {
      path: this.#options.vaultPath,
      openStore: this.#options.openStore,
      cipher,
      ...(this.#options.now ? { now: this.#options.now } : {}),
      onExternalChange: () => this.#core?.reloaded()
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
