import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/main/core/errors.ts'
import { DecryptError } from '../../../src/main/core/vault/cipher.ts'
import { createPassphraseCipher, WrongPassphraseError } from '../../../src/main/core/vault/passphrase-cipher.ts'
import { MIN_PASSPHRASE_LENGTH } from '../../../src/shared/passphrase-rule.ts'
import { FAST_COST, TEST_PASSPHRASE } from './fixtures.ts'

/** A vault header made under the old rule (8 characters) for the passphrase 'eight ch', by the cipher of that time. */
const EIGHT_CHARACTER_HEADER = {
  kdf: 'scrypt',
  salt: 'WXo/SBymwSI0Od4arIH+aw==',
  N: 1024,
  r: 8,
  p: 1,
  verifier: 'v1:8OQ+pYQHLVJshyqz:1bCXpyquMhMKXaxNRJuD2g==:Ustpdq59f0N4/BJjcvRGsKTkxmQhniS4WGeWRmY='
}

describe('passphrase cipher', () => {
  it('seals to v1:iv:tag:ciphertext with a fresh IV per value and opens it again', async () => {
    const { cipher, header } = await createPassphraseCipher(TEST_PASSPHRASE, undefined, { cost: FAST_COST })
    expect(cipher.kind).toBe('passphrase')
    expect(header).toMatchObject({ kdf: 'scrypt', N: 1024, r: 8, p: 1 })
    expect(Buffer.from(header.salt, 'base64')).toHaveLength(16)
    const a = await cipher.encrypt('refresh-token-value')
    const b = await cipher.encrypt('refresh-token-value')
    expect(a).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/)
    expect(a).not.toBe(b)
    expect(a).not.toContain('refresh-token-value')
    expect(await cipher.decrypt(a)).toBe('refresh-token-value')
    expect(await cipher.decrypt(b)).toBe('refresh-token-value')
  })

  it('unlocks again from the stored header with the same passphrase, and only with it', async () => {
    const first = await createPassphraseCipher(TEST_PASSPHRASE, undefined, { cost: FAST_COST })
    const sealed = await first.cipher.encrypt('client-secret')
    const again = await createPassphraseCipher(TEST_PASSPHRASE, first.header)
    expect(await again.cipher.decrypt(sealed)).toBe('client-secret')
    await expect(createPassphraseCipher('another long passphrase', first.header)).rejects.toThrow(WrongPassphraseError)
    await expect(createPassphraseCipher('another long passphrase', first.header)).rejects.toThrow(/passphrase does not unlock/)
  })

  it('treats the same passphrase typed in another Unicode form as the same passphrase', async () => {
    const composed = 'caf\u00e9 au lait, s\u2019il vous pla\u00eet'
    const decomposed = composed.normalize('NFD')
    expect(decomposed).not.toBe(composed)
    const first = await createPassphraseCipher(composed, undefined, { cost: FAST_COST })
    await expect(createPassphraseCipher(decomposed, first.header)).resolves.toBeTruthy()
  })

  it('refuses an empty, blank, short or non-text passphrase with a clear error', async () => {
    for (const bad of ['', '        ', 'short', 42 as unknown as string]) {
      const error = await createPassphraseCipher(bad, undefined, { cost: FAST_COST }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(InputError)
      expect((error as InputError).field).toBe('passphrase')
    }
    await expect(createPassphraseCipher('short', undefined, { cost: FAST_COST })).rejects.toThrow(/at least 10 characters/)
  })

  it("takes a new passphrase of the shared rule's length (the window's too), and refuses one a character shorter", async () => {
    expect(MIN_PASSPHRASE_LENGTH).toBe(10)
    await expect(createPassphraseCipher('x'.repeat(MIN_PASSPHRASE_LENGTH), undefined, { cost: FAST_COST })).resolves.toBeTruthy()
    // Counted as a person counts: 'é' composed or not is one character.
    await expect(createPassphraseCipher(`${'e\u0301'.repeat(MIN_PASSPHRASE_LENGTH)}`, undefined, { cost: FAST_COST })).resolves.toBeTruthy()
    const short = await createPassphraseCipher('x'.repeat(MIN_PASSPHRASE_LENGTH - 1), undefined, { cost: FAST_COST }).catch((e: unknown) => e)
    expect(short).toBeInstanceOf(InputError)
    expect(short).toMatchObject({ field: 'passphrase', message: 'The passphrase is too short: use at least 10 characters; a few unrelated words work well.' })
  })

  it('still unlocks a vault whose passphrase was set under the older, shorter rule (only a new one is measured)', async () => {
    await expect(createPassphraseCipher('eight ch', EIGHT_CHARACTER_HEADER)).resolves.toBeTruthy()
    await expect(createPassphraseCipher('eight cx', EIGHT_CHARACTER_HEADER)).rejects.toThrow(WrongPassphraseError)
  })

  it('reports a tampered value, a value of another key and garbage as DecryptError', async () => {
    const { cipher } = await createPassphraseCipher(TEST_PASSPHRASE, undefined, { cost: FAST_COST })
    const other = (await createPassphraseCipher(TEST_PASSPHRASE, undefined, { cost: FAST_COST })).cipher
    const sealed = await cipher.encrypt('access-token')
    const [format, iv, tag, body] = sealed.split(':') as [string, string, string, string]
    const flipped = Buffer.from(body, 'base64')
    flipped[0] = (flipped[0] ?? 0) ^ 1
    await expect(cipher.decrypt(`${format}:${iv}:${tag}:${flipped.toString('base64')}`)).rejects.toThrow(DecryptError)
    await expect(other.decrypt(sealed)).rejects.toThrow(/sealed with a different key/)
    await expect(cipher.decrypt('not a sealed value')).rejects.toThrow(DecryptError)
    await expect(cipher.decrypt(`v1:${iv}:AAAA:${body}`)).rejects.toThrow(/damaged/)
  })

  it('refuses a header that asks for an absurd scrypt cost or lacks its salt', async () => {
    const { header } = await createPassphraseCipher(TEST_PASSPHRASE, undefined, { cost: FAST_COST })
    await expect(createPassphraseCipher(TEST_PASSPHRASE, { ...header, N: 2 ** 30 })).rejects.toThrow(InputError)
    await expect(createPassphraseCipher(TEST_PASSPHRASE, { ...header, N: 1000 })).rejects.toThrow(/power of two/)
    await expect(createPassphraseCipher(TEST_PASSPHRASE, { ...header, salt: 'c2hvcnQ=' })).rejects.toThrow(/salt/)
    await expect(createPassphraseCipher(TEST_PASSPHRASE, { ...header, kdf: 'pbkdf2' })).rejects.toThrow(/scrypt/)
    await expect(createPassphraseCipher(TEST_PASSPHRASE, undefined, { cost: { N: 1024, r: 0, p: 1 } })).rejects.toThrow(/cost\.r/)
  })

  it('uses a real work factor by default', async () => {
    const { header } = await createPassphraseCipher(TEST_PASSPHRASE)
    expect(header.N).toBeGreaterThanOrEqual(2 ** 17)
  })
})
