// Whether the OS keychain is good enough to seal the vault, or Larder must ask for a passphrase instead.
// On Linux without a secret service, Electron's safeStorage "encrypts" with a fixed, public key
// (the basic_text backend); that is storing in plaintext with extra steps, so it is refused.

export type CipherKind = 'safe-storage' | 'passphrase'

/** Linux password stores safeStorage can pick; other platforms have one keychain and no choice. */
export type LinuxStorageBackend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown'

export interface KeychainFacts {
  readonly platform: string
  readonly encryptionAvailable: boolean
  /** Only asked on Linux. */
  readonly linuxBackend?: LinuxStorageBackend | (string & {})
}

export interface CipherChoice {
  readonly kind: CipherKind
  /** For the log and the unlock screen: why this kind. */
  readonly reason: string
}

const STRONG_LINUX_BACKENDS: ReadonlySet<string> = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'])

export function decideCipherKind(facts: KeychainFacts): CipherChoice {
  if (!facts.encryptionAvailable) {
    return { kind: 'passphrase', reason: 'The system keychain is not available, so Larder needs a passphrase to protect the vault.' }
  }
  if (facts.platform === 'linux' && !STRONG_LINUX_BACKENDS.has(facts.linuxBackend ?? 'unknown')) {
    // "unknown" means the backend was asked for before the app was ready; the safe answer is still no.
    return {
      kind: 'passphrase',
      reason: `No secret service was found (password store: ${facts.linuxBackend ?? 'unknown'}); without one the key would be a fixed, public one, so Larder needs a passphrase.`
    }
  }
  return { kind: 'safe-storage', reason: 'The vault is sealed with a key kept by the system keychain.' }
}
