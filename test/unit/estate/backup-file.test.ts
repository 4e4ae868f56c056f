// The backup file (core/estate/backup): age with a passphrase, byte-compatible with the age-encryption package's own
// passphrase encryption both ways; clear refusals for a wrong passphrase, a file that is not age, a damaged one, and a
// document that is not Larder's (or is from a newer Larder); the passphrase rule for a file that travels.
import { Decrypter, Encrypter } from 'age-encryption'
import { describe, expect, it } from 'vitest'
import { decryptWithPassphrase, encryptWithPassphrase } from '../../../src/main/core/estate/backup/age-file.ts'
import { decodeDocument, encodeDocument, type BackupDocument } from '../../../src/main/core/estate/backup/document.ts'
import { checkBackupPassphrase } from '../../../src/main/core/estate/backup/passphrase.ts'
import { makeMeta, makeSecrets } from '../vault/fixtures.ts'

const PASSPHRASE = 'four words to remember'
const LOG_N = 10

function document(): BackupDocument {
  return {
    format: 'larder-backup',
    version: 1,
    createdAt: 1_700_000_000_000,
    source: { machine: 'desk-1' },
    move: null,
    libraries: [{ meta: makeMeta('bistro'), secrets: makeSecrets('bistro') }],
    entries: [],
    keys: [],
    settings: { expiringSoonMs: 172_800_000 }
  }
}

describe('the age file', () => {
  it("Larder's files open with the package's passphrase identity, and the package's with Larder's", async () => {
    const plain = new TextEncoder().encode('{"hello":"age"}')
    const ours = await encryptWithPassphrase(plain, PASSPHRASE, LOG_N)
    const decrypter = new Decrypter()
    decrypter.addPassphrase(PASSPHRASE)
    expect(await decrypter.decrypt(ours, 'text')).toBe('{"hello":"age"}')
    const encrypter = new Encrypter()
    encrypter.setPassphrase(PASSPHRASE)
    encrypter.setScryptWorkFactor(LOG_N)
    expect(new TextDecoder().decode(await decryptWithPassphrase(await encrypter.encrypt(plain), PASSPHRASE))).toBe('{"hello":"age"}')
  })

  it('says plainly what is wrong: the passphrase, not an age file, a damaged file', async () => {
    const file = await encryptWithPassphrase(encodeDocument(document()), PASSPHRASE, LOG_N)
    await expect(decryptWithPassphrase(file, 'another passphrase!')).rejects.toMatchObject({ field: 'passphrase', message: 'That passphrase does not open this backup. Nothing was changed.' })
    await expect(decryptWithPassphrase(new TextEncoder().encode('{"format":"larder-backup"}'), PASSPHRASE)).rejects.toMatchObject({ field: 'file', message: expect.stringContaining('not an age-encrypted file') })
    const damaged = Uint8Array.from(file)
    const at = damaged.length - 5
    damaged[at] = (damaged[at] ?? 0) ^ 0xff
    await expect(decryptWithPassphrase(damaged, PASSPHRASE)).rejects.toMatchObject({ field: 'file', message: expect.stringContaining('damaged') })
  })
})

describe('the document', () => {
  it('round-trips, and refuses what Larder did not write, naming where', () => {
    const written = document()
    expect(decodeDocument(encodeDocument(written))).toEqual(written)
    const edit = (change: (raw: Record<string, unknown>) => void): Uint8Array => {
      const raw = JSON.parse(JSON.stringify(written)) as Record<string, unknown>
      change(raw)
      return new TextEncoder().encode(JSON.stringify(raw))
    }
    expect(() => decodeDocument(edit((raw) => (raw['format'] = 'something-else')))).toThrow('not a Larder backup')
    expect(() => decodeDocument(edit((raw) => (raw['version'] = 2)))).toThrow('written by a newer Larder')
    expect(() => decodeDocument(edit((raw) => ((raw['libraries'] as { meta: Record<string, unknown> }[])[0]!.meta['apiBaseUrl'] = 'ftp://evil')))).toThrow(expect.objectContaining({ field: 'backup.libraries[0].meta.apiBaseUrl' }))
    expect(() => decodeDocument(edit((raw) => (raw['libraries'] = [...(raw['libraries'] as unknown[]), ...(raw['libraries'] as unknown[])])))).toThrow('names the id "bistro" twice')
    expect(() => decodeDocument(new TextEncoder().encode('not json'))).toThrow('not JSON')
  })
})

describe('the passphrase of a file that travels', () => {
  it('needs at least 12 characters (the vault needs 8), and is taken in one Unicode form', () => {
    expect(() => checkBackupPassphrase('eleven char')).toThrow('at least 12 characters')
    expect(() => checkBackupPassphrase('            ')).toThrow('empty')
    expect(checkBackupPassphrase('twelve chars')).toBe('twelve chars')
    expect(checkBackupPassphrase('cafe\u0301 au lait!')).toBe('café au lait!')
  })
})
