// The vault's cipher over Electron's safeStorage: the key lives in the OS keychain (Keychain, DPAPI, libsecret
// or KWallet). Uses the asynchronous API where this Electron has it; the synchronous one is deprecated.
import { safeStorage } from 'electron'
import { DecryptError, type Cipher } from '../core/vault/cipher.ts'
import { decideCipherKind, type CipherChoice, type CipherKind } from '../core/desktop/cipher-choice.ts'

export const SAFE_STORAGE_KIND = 'safe-storage'

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

export interface SafeStorageCipherOptions {
  /**
   * safeStorage says a value was sealed with an old or weaker key (the keychain rotated it). Called at most
   * once; the vault's next write seals everything again with the current key.
   */
  readonly onShouldReEncrypt?: () => void
  /** Defaults to `process.platform`; tests pass their own. */
  readonly platform?: string
}

/** Thrown instead of sealing with Linux's fixed fallback key (invariant: no secret is stored weakly). */
export class WeakKeychainError extends Error {
  override readonly name = 'WeakKeychainError'
}

function hasAsyncApi(): boolean {
  return typeof safeStorage.encryptStringAsync === 'function' && typeof safeStorage.decryptStringAsync === 'function'
}

export function createSafeStorageCipher(options: SafeStorageCipherOptions = {}): Cipher {
  const platform = options.platform ?? process.platform
  let reEncryptReported = false
  const reportReEncrypt = (): void => {
    if (reEncryptReported) return
    reEncryptReported = true
    options.onShouldReEncrypt?.()
  }
  return {
    kind: SAFE_STORAGE_KIND,
    async encrypt(plain) {
      if (typeof plain !== 'string') throw new TypeError('Only text can be encrypted')
      // The choice is made once at start (chooseCipherKind); this guards against a cipher built without asking.
      if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
        throw new WeakKeychainError('No secret service is available, so the system keychain would use a fixed key; use a passphrase instead')
      }
      const sealed = hasAsyncApi() ? await safeStorage.encryptStringAsync(plain) : safeStorage.encryptString(plain)
      return Buffer.from(sealed).toString('base64')
    },
    async decrypt(sealed) {
      if (typeof sealed !== 'string' || sealed === '' || !BASE64.test(sealed)) {
        throw new DecryptError('This is not a value sealed by the system keychain (not base64)')
      }
      const bytes = Buffer.from(sealed, 'base64')
      try {
        if (!hasAsyncApi()) return safeStorage.decryptString(bytes)
        const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(bytes)
        if (shouldReEncrypt) reportReEncrypt()
        return result
      } catch {
        // safeStorage's own message can carry details of the keychain; ours says what a person can do.
        throw new DecryptError('A sealed value did not open with this system keychain: it was changed, or sealed by another user or machine')
      }
    }
  }
}

/** The facts behind the choice; call after the app is ready (before, Linux reports the backend as "unknown"). */
export async function describeCipherChoice(platform: string = process.platform): Promise<CipherChoice> {
  const encryptionAvailable =
    typeof safeStorage.isAsyncEncryptionAvailable === 'function' ? await safeStorage.isAsyncEncryptionAvailable() : safeStorage.isEncryptionAvailable()
  const linuxBackend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined
  return decideCipherKind({ platform, encryptionAvailable, ...(linuxBackend === undefined ? {} : { linuxBackend }) })
}

/** 'passphrase' when the keychain is missing or, on Linux, would fall back to its fixed key; else 'safe-storage'. */
export async function chooseCipherKind(platform: string = process.platform): Promise<CipherKind> {
  return (await describeCipherChoice(platform)).kind
}
