// The secret that unlocks the app lock, checked without reopening the vault: a passphrase vault's own passphrase
// against the verifier in its file's header; a keychain vault's lock passphrase against the scrypt verifier kept in its
// settings (the passphrase cipher's header: salt, cost and a constant sealed with the derived key). Neither is kept.
import type { LockPassphraseSource } from '../../../shared/contract.ts'
import { InputError } from '../../core/errors.ts'
import { createPassphraseCipher, readVaultHeader, WrongPassphraseError, type CipherHeader, type ScryptCost } from '../../core/vault/index.ts'
import type { LockVerifier } from '../../core/vault/settings.ts'

export interface LockSecretOptions {
  readonly vaultPath: string
  /** scrypt cost for a new lock passphrase (tests: cheap). */
  readonly scryptCost?: ScryptCost
}

export class LockSecret {
  readonly #options: LockSecretOptions

  constructor(options: LockSecretOptions) {
    this.#options = options
  }

  /** What unlocks the lock for a vault sealed this way, with this verifier (or none) in its settings. */
  source(cipher: 'keychain' | 'passphrase', verifier: LockVerifier | null): LockPassphraseSource {
    if (cipher === 'passphrase') return 'vault'
    return verifier === null ? 'none' : 'lock'
  }

  /** True when `passphrase` is the right one; a malformed one (too short) is simply wrong. */
  async matches(cipher: 'keychain' | 'passphrase', verifier: LockVerifier | null, passphrase: string): Promise<boolean> {
    const header: CipherHeader | undefined = cipher === 'passphrase' ? readVaultHeader(this.#options.vaultPath)?.cipher : verifier === null ? undefined : { ...verifier }
    if (header === undefined) throw new InputError('passphrase', 'There is no passphrase to check against: set a lock passphrase first.')
    try {
      await createPassphraseCipher(passphrase, header)
      return true
    } catch (error) {
      if (error instanceof WrongPassphraseError) return false
      if (error instanceof InputError && error.field === 'passphrase') return false
      throw error
    }
  }

  /** A new lock passphrase's verifier (the vault passphrase's rule, MIN_PASSPHRASE_LENGTH); the passphrase is not kept. */
  async verifierFor(passphrase: string): Promise<LockVerifier> {
    const { header } = await createPassphraseCipher(passphrase, undefined, this.#options.scryptCost ? { cost: this.#options.scryptCost } : {})
    return { kdf: 'scrypt', salt: header.salt, N: header.N, r: header.r, p: header.p, verifier: header.verifier }
  }
}
