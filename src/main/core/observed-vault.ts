// The vault, announcing which records each write touched. Every change a person can see passes through a vault write
// (or a status the engine or the personal service derives), so announcing here, once, means no use case has to
// remember to say what it changed.
import type { EngineVault } from './engine/ports.ts'
import type { KeyMeta, KeySecrets } from './keys/key-model.ts'
import type { IssuedPair, LibraryHold, LibraryMeta, LibrarySecrets, PersonalEntryMeta } from './model.ts'
import type {
  ClientCredentials,
  EntryPatch,
  KeyPatch,
  LibraryPatch,
  LibrarySecretsError,
  Rotation,
  Vault,
  VaultSettings,
  VaultSettingsPatch,
  VaultStats
} from './vault/index.ts'

export interface VaultChanges {
  /** A record or entry whose view may have changed. */
  changed(id: string): void
  /** A record or entry that is gone. */
  removed(id: string): void
  /** The settings as they are now. */
  settings(settings: VaultSettings): void
  /** A key of another system whose view may have changed. */
  keyChanged(id: string): void
  /** A key that is gone. */
  keyRemoved(id: string): void
}

/** A vault shared with other machines (the team vault) says whose turn it is to refresh; a local vault does not. */
type TurnPort = Pick<EngineVault, 'refreshTurn' | 'refreshOffset'>

export class ObservedVault implements Vault, TurnPort {
  readonly #vault: Vault
  readonly #changes: VaultChanges
  // Present only when the vault has them: their absence is how the engine knows no other machine refreshes.
  readonly refreshTurn?: EngineVault['refreshTurn']
  readonly refreshOffset?: EngineVault['refreshOffset']

  constructor(vault: Vault & TurnPort, changes: VaultChanges) {
    this.#vault = vault
    this.#changes = changes
    const { refreshTurn, refreshOffset } = vault
    if (refreshTurn !== undefined) this.refreshTurn = (id) => refreshTurn.call(vault, id)
    if (refreshOffset !== undefined) this.refreshOffset = (id) => refreshOffset.call(vault, id)
  }

  get path(): string {
    return this.#vault.path
  }

  list(): readonly LibraryMeta[] {
    return this.#vault.list()
  }
  get(id: string): LibraryMeta | undefined {
    return this.#vault.get(id)
  }
  entries(): readonly PersonalEntryMeta[] {
    return this.#vault.entries()
  }
  entry(id: string): PersonalEntryMeta | undefined {
    return this.#vault.entry(id)
  }
  secrets<F extends keyof LibrarySecrets = keyof LibrarySecrets>(id: string, fields?: readonly F[]): Promise<Pick<LibrarySecrets, F>> {
    return this.#vault.secrets(id, fields)
  }
  isSpent(refreshToken: string): boolean {
    return this.#vault.isSpent(refreshToken)
  }
  settings(): VaultSettings {
    return this.#vault.settings()
  }
  keys(): readonly KeyMeta[] {
    return this.#vault.keys()
  }
  key(id: string): KeyMeta | undefined {
    return this.#vault.key(id)
  }
  keyRefusal(id: string): LibrarySecretsError | undefined {
    return this.#vault.keyRefusal(id)
  }
  keySecret(id: string): Promise<KeySecrets> {
    return this.#vault.keySecret(id)
  }
  stats(): VaultStats {
    return this.#vault.stats()
  }
  reloadIfChanged(): Promise<boolean> {
    return this.#vault.reloadIfChanged()
  }
  flush(): Promise<void> {
    return this.#vault.flush()
  }
  close(): Promise<void> {
    return this.#vault.close()
  }
  /** New thresholds move statuses through the engine's re-planning, which announces the libraries that changed. */
  async updateSettings(patch: VaultSettingsPatch): Promise<VaultSettings> {
    const settings = await this.#vault.updateSettings(patch)
    this.#changes.settings(settings)
    return settings
  }

  async add(meta: LibraryMeta, secrets: LibrarySecrets, options?: { readonly consumedRefreshToken?: string }): Promise<void> {
    await this.#vault.add(meta, secrets, options)
    this.#changes.changed(meta.id)
  }
  async addEntries(entries: readonly PersonalEntryMeta[]): Promise<void> {
    await this.#vault.addEntries(entries)
    // Each new entry, and each token whose library count grew.
    for (const connectionId of new Set(entries.map((entry) => entry.connectionId))) this.#changes.changed(connectionId)
  }
  async patchEntry(id: string, patch: EntryPatch): Promise<void> {
    await this.#vault.patchEntry(id, patch)
    this.#changes.changed(id)
  }
  async patch(id: string, patch: LibraryPatch): Promise<void> {
    await this.#vault.patch(id, patch)
    this.#changes.changed(id)
  }
  async replaceCredentials(id: string, credentials: ClientCredentials): Promise<void> {
    await this.#vault.replaceCredentials(id, credentials)
    this.#changes.changed(id)
  }
  async reauthorize(id: string, pair: IssuedPair, options?: { readonly consumedRefreshToken?: string }): Promise<void> {
    await this.#vault.reauthorize(id, pair, options)
    this.#changes.changed(id)
  }
  async commitRotation(id: string, rotation: Rotation): Promise<void> {
    await this.#vault.commitRotation(id, rotation)
    this.#changes.changed(id)
  }
  async remove(id: string): Promise<void> {
    const entry = this.#vault.entry(id)
    // A token's record goes with the libraries that use it; an entry's token has one library fewer.
    const gone = entry ? [id] : [id, ...this.#vault.entries().filter((e) => e.connectionId === id).map((e) => e.id)]
    await this.#vault.remove(id)
    for (const removed of gone) this.#changes.removed(removed)
    if (entry) this.#changes.changed(entry.connectionId)
  }

  async setHold(id: string, hold: LibraryHold | null): Promise<void> {
    await this.#vault.setHold(id, hold)
    this.#changes.changed(id)
  }
  async restoreLibrary(meta: LibraryMeta, secrets: LibrarySecrets, options: { readonly replace: boolean }): Promise<void> {
    await this.#vault.restoreLibrary(meta, secrets, options)
    this.#changes.changed(meta.id)
  }
  sealValue(purpose: string, value: string): Promise<string> {
    return this.#vault.sealValue(purpose, value)
  }
  openValue(purpose: string, sealed: string): Promise<string> {
    return this.#vault.openValue(purpose, sealed)
  }

  async addKey(meta: KeyMeta, secrets: KeySecrets): Promise<void> {
    await this.#vault.addKey(meta, secrets)
    this.#changes.keyChanged(meta.id)
  }
  async patchKey(id: string, patch: KeyPatch): Promise<void> {
    await this.#vault.patchKey(id, patch)
    this.#changes.keyChanged(id)
  }
  async replaceKeyToken(id: string, token: string): Promise<void> {
    await this.#vault.replaceKeyToken(id, token)
    this.#changes.keyChanged(id)
  }
  async removeKey(id: string): Promise<void> {
    await this.#vault.removeKey(id)
    this.#changes.keyRemoved(id)
  }
}
