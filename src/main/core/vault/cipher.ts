// What the vault needs from whatever seals its secrets: the OS keychain (safeStorage, written with the
// Electron adapters) or a passphrase. The vault never knows which key is behind it, only its kind.

/** JSON-safe fields a cipher keeps in the vault header (salt, cost, verifier…); never a key. */
export type CipherHeader = Readonly<Record<string, string | number | boolean>>

export interface Cipher {
  readonly kind: 'safe-storage' | 'passphrase' | (string & {})
  /** Stored in the vault header when a new vault is created; absent for ciphers that need none. */
  readonly header?: CipherHeader
  /** Returns an opaque printable string. */
  encrypt(plain: string): Promise<string>
  /** Throws `DecryptError` when the value was tampered with or sealed with another key. */
  decrypt(sealed: string): Promise<string>
}

/** A sealed value did not open: it was changed, or it was sealed with a different key. */
export class DecryptError extends Error {
  override readonly name = 'DecryptError'
}
