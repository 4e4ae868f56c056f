import { beforeEach, describe, expect, it, vi } from 'vitest'

// A fake safeStorage: "encrypts" by XOR with a per-test key and a marker, which is enough to prove the adapter
// round-trips bytes, uses base64 and maps failures, without pretending to be a keychain.
const fake = vi.hoisted(() => {
  const state = {
    backend: 'gnome_libsecret' as string,
    available: true,
    asyncApi: true,
    shouldReEncrypt: false,
    calls: [] as string[]
  }
  const seal = (plain: string): Buffer => Buffer.concat([Buffer.from('SS1'), Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)])
  const open = (bytes: Buffer): string => {
    if (bytes.subarray(0, 3).toString() !== 'SS1') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.')
    return Buffer.from(bytes.subarray(3).map((b) => b ^ 0x5a)).toString('utf8')
  }
  const safeStorage = {
    encryptString: (plain: string) => (state.calls.push('encryptString'), seal(plain)),
    decryptString: (bytes: Buffer) => (state.calls.push('decryptString'), open(bytes)),
    isEncryptionAvailable: () => (state.calls.push('isEncryptionAvailable'), state.available),
    getSelectedStorageBackend: () => state.backend,
    get encryptStringAsync() {
      return state.asyncApi ? async (plain: string) => (state.calls.push('encryptStringAsync'), seal(plain)) : undefined
    },
    get decryptStringAsync() {
      return state.asyncApi
        ? async (bytes: Buffer) => (state.calls.push('decryptStringAsync'), { result: open(bytes), shouldReEncrypt: state.shouldReEncrypt })
        : undefined
    },
    get isAsyncEncryptionAvailable() {
      return state.asyncApi ? async () => (state.calls.push('isAsyncEncryptionAvailable'), state.available) : undefined
    }
  }
  return { state, safeStorage }
})

vi.mock('electron', () => ({ safeStorage: fake.safeStorage }))

const { createSafeStorageCipher, chooseCipherKind, describeCipherChoice, WeakKeychainError } = await import('../../../src/main/electron/safe-storage-cipher.ts')
const { DecryptError } = await import('../../../src/main/core/vault/cipher.ts')

beforeEach(() => {
  Object.assign(fake.state, { backend: 'gnome_libsecret', available: true, asyncApi: true, shouldReEncrypt: false, calls: [] })
})

describe('safeStorage cipher', () => {
  it('round-trips through the async API with base64 output', async () => {
    const cipher = createSafeStorageCipher({ platform: 'linux' })
    expect(cipher.kind).toBe('safe-storage')
    const sealed = await cipher.encrypt('refresh-token-ü-✓')
    expect(sealed).toMatch(/^[A-Za-z0-9+/]+=*$/)
    expect(sealed).not.toContain('refresh')
    expect(await cipher.decrypt(sealed)).toBe('refresh-token-ü-✓')
    expect(fake.state.calls).toEqual(['encryptStringAsync', 'decryptStringAsync'])
  })

  it('falls back to the sync API where the async one is missing', async () => {
    fake.state.asyncApi = false
    const cipher = createSafeStorageCipher({ platform: 'darwin' })
    expect(await cipher.decrypt(await cipher.encrypt('x'))).toBe('x')
    expect(fake.state.calls).toEqual(['encryptString', 'decryptString'])
  })

  it('opens with the async API what the sync API sealed', async () => {
    fake.state.asyncApi = false
    const sealed = await createSafeStorageCipher({ platform: 'win32' }).encrypt('old')
    fake.state.asyncApi = true
    expect(await createSafeStorageCipher({ platform: 'win32' }).decrypt(sealed)).toBe('old')
  })

  it('says once when the keychain wants values sealed again', async () => {
    const onShouldReEncrypt = vi.fn()
    const cipher = createSafeStorageCipher({ platform: 'linux', onShouldReEncrypt })
    const sealed = await cipher.encrypt('x')
    fake.state.shouldReEncrypt = true
    await cipher.decrypt(sealed)
    await cipher.decrypt(sealed)
    expect(onShouldReEncrypt).toHaveBeenCalledTimes(1)
  })

  it.each(['', 'not base64!', 'SGVsbG8', Buffer.from('plain text').toString('base64')])('throws DecryptError for %j', async (sealed) => {
    const cipher = createSafeStorageCipher({ platform: 'linux' })
    const error = await cipher.decrypt(sealed).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DecryptError)
    expect(String(error)).not.toContain('safeStorage.decryptString')
  })

  it("refuses to seal with Linux's fixed fallback key", async () => {
    fake.state.backend = 'basic_text'
    await expect(createSafeStorageCipher({ platform: 'linux' }).encrypt('x')).rejects.toBeInstanceOf(WeakKeychainError)
  })
})

describe('chooseCipherKind', () => {
  it("answers 'passphrase' on Linux with the basic_text backend", async () => {
    fake.state.backend = 'basic_text'
    expect(await chooseCipherKind('linux')).toBe('passphrase')
  })

  it("answers 'safe-storage' with a secret service, and on macOS/Windows when available", async () => {
    expect(await chooseCipherKind('linux')).toBe('safe-storage')
    fake.state.backend = 'basic_text'
    expect(await chooseCipherKind('darwin')).toBe('safe-storage')
    expect(await chooseCipherKind('win32')).toBe('safe-storage')
  })

  it("answers 'passphrase' when encryption is unavailable, asking the async check first", async () => {
    fake.state.available = false
    expect(await describeCipherChoice('darwin')).toMatchObject({ kind: 'passphrase' })
    expect(fake.state.calls).toEqual(['isAsyncEncryptionAvailable'])
    fake.state.asyncApi = false
    expect(await chooseCipherKind('win32')).toBe('passphrase')
    expect(fake.state.calls).toContain('isEncryptionAvailable')
  })
})
