// What a team vault takes from the member's local vault as it is (issue 16, plan §1): every read (records, entries,
// secrets, spent tokens), so a member offline from the team lists and copies from its sealed local cache; and what
// stays this machine's own: keys of other systems, settings, values sealed with the vault's key, the file watch and
// the vault's figures. The team vault (team-vault.ts) adds the writes of team credentials
// (team-vault-writes.ts).
import { EventEmitter } from 'node:events'
import type { KeyMeta, KeySecrets } from '../keys/key-model.ts'
import type { LibraryMeta, LibrarySecrets, PersonalEntryMeta } from '../model.ts'
import type { KeyPatch } from '../vault/key-checks.ts'
import type { LibrarySecretsError } from '../vault/errors.ts'
import type { VaultSettings, VaultSettingsPatch } from '../vault/settings.ts'
import type { Vault, VaultStats } from '../vault/vault-types.ts'

type EventMap<T> = Record<keyof T, unknown[]>

export class TeamVaultLocal<E extends EventMap<E>> extends EventEmitter<E> {
  readonly path: string
  protected readonly local: Vault

  constructor(local: Vault) {
    super()
    this.local = local
    this.path = local.path
  }

  list(): readonly LibraryMeta[] {
    return this.local.list()
  }

  get(id: string): LibraryMeta | undefined {
    return this.local.get(id)
  }

  entries(): readonly PersonalEntryMeta[] {
    return this.local.entries()
  }

  entry(id: string): PersonalEntryMeta | undefined {
    return this.local.entry(id)
  }

  secrets<F extends keyof LibrarySecrets = keyof LibrarySecrets>(id: string, fields?: readonly F[]): Promise<Pick<LibrarySecrets, F>> {
    return this.local.secrets(id, fields)
  }

  isSpent(refreshToken: string): boolean {
    return this.local.isSpent(refreshToken)
  }

  keys(): readonly KeyMeta[] {
    return this.local.keys()
  }

  key(id: string): KeyMeta | undefined {
    return this.local.key(id)
  }

  keyRefusal(id: string): LibrarySecretsError | undefined {
    return this.local.keyRefusal(id)
  }

  keySecret(id: string): Promise<KeySecrets> {
    return this.local.keySecret(id)
  }

  addKey(meta: KeyMeta, secrets: KeySecrets): Promise<void> {
    return this.local.addKey(meta, secrets)
  }

  patchKey(id: string, patch: KeyPatch): Promise<void> {
    return this.local.patchKey(id, patch)
  }

  replaceKeyToken(id: string, token: string): Promise<void> {
    return this.local.replaceKeyToken(id, token)
  }

  removeKey(id: string): Promise<void> {
    return this.local.removeKey(id)
  }

  sealValue(purpose: string, value: string): Promise<string> {
    return this.local.sealValue(purpose, value)
  }

  openValue(purpose: string, sealed: string): Promise<string> {
    return this.local.openValue(purpose, sealed)
  }

  settings(): VaultSettings {
    return this.local.settings()
  }

  updateSettings(patch: VaultSettingsPatch): Promise<VaultSettings> {
    return this.local.updateSettings(patch)
  }

  reloadIfChanged(): Promise<boolean> {
    return this.local.reloadIfChanged()
  }

  stats(): VaultStats {
    return this.local.stats()
  }
}
