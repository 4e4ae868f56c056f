// A backup file in the age format (age-encryption.org/v1) with a passphrase, so the standard `age` tool opens it too
// (`age --decrypt`). The payload is the age-encryption package's own; the passphrase stanza (scrypt, as the spec
// writes it) is made here with Node's native scrypt on libuv's pool instead of the package's pure-JavaScript one:
// that one holds the thread for ~2 s at age's work factor, and in the app that thread is the one that refreshes
// tokens and answers the window. The bytes are the same either way (the tests open Larder's files with the package's
// own passphrase identity and with `age` itself).
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto'
import { Decrypter, Encrypter, Stanza, type Identity, type Recipient } from 'age-encryption'
import { InputError } from '../../errors.ts'

/** age's default work factor (2^18): about a second on a laptop, paid once per backup and per restore. */
export const DEFAULT_LOG_N = 18
/** The most a file may ask for when opened (as the age-encryption package): 2^20 is 1 GiB of memory already. */
const MAX_LOG_N = 20
const LABEL = 'age-encryption.org/v1/scrypt'
const MAGIC = 'age-encryption.org/v1\n'

/** The passphrase does not open this backup (or it is not one Larder can read). Nothing was changed. */
export class BackupOpenError extends InputError {}

function deriveKey(passphrase: string, salt: Uint8Array, logN: number): Promise<Buffer> {
  const N = 2 ** logN
  const labelled = Buffer.concat([Buffer.from(LABEL, 'utf8'), salt])
  // scrypt needs 128·N·r bytes; Node refuses more than 32 MiB unless told.
  const maxmem = 128 * N * 8 + 16 * 1024 * 1024
  return new Promise((resolve, reject) => {
    scrypt(Buffer.from(passphrase, 'utf8'), labelled, 32, { N, r: 8, p: 1, maxmem }, (error, key) => (error ? reject(error) : resolve(key)))
  })
}

/** The file key wrapped as age's spec says: ChaCha20-Poly1305 with the derived key and a zero nonce. */
function wrap(key: Buffer, fileKey: Uint8Array): Uint8Array {
  const cipher = createCipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: 16 })
  return Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()])
}

function unwrap(key: Buffer, body: Uint8Array): Uint8Array | null {
  if (body.length !== 32) return null
  const decipher = createDecipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: 16 })
  decipher.setAuthTag(body.subarray(16))
  try {
    return Buffer.concat([decipher.update(body.subarray(0, 16)), decipher.final()])
  } catch {
    return null
  }
}

class PassphraseRecipient implements Recipient {
  readonly #passphrase: string
  readonly #logN: number
  constructor(passphrase: string, logN: number) {
    this.#passphrase = passphrase
    this.#logN = logN
  }
  async wrapFileKey(fileKey: Uint8Array): Promise<Stanza[]> {
    const salt = randomBytes(16)
    const key = await deriveKey(this.#passphrase, salt, this.#logN)
    return [new Stanza(['scrypt', salt.toString('base64').replace(/=+$/, ''), String(this.#logN)], wrap(key, fileKey))]
  }
}

class PassphraseIdentity implements Identity {
  readonly #passphrase: string
  constructor(passphrase: string) {
    this.#passphrase = passphrase
  }
  async unwrapFileKey(stanzas: Stanza[]): Promise<Uint8Array | null> {
    const stanza = stanzas.find((s) => s.args[0] === 'scrypt')
    if (stanza === undefined) throw new BackupOpenError('file', 'This age file is not encrypted with a passphrase (it names other recipients), so Larder cannot open it.')
    // The spec: a passphrase file has exactly one stanza (else anyone could add a recipient of their own).
    if (stanzas.length !== 1) throw new BackupOpenError('file', 'This age file mixes a passphrase with other recipients; Larder does not open it.')
    const [, saltText, logText] = stanza.args
    const salt = Buffer.from(saltText ?? '', 'base64')
    const logN = Number(logText)
    if (stanza.args.length !== 3 || salt.length !== 16 || !/^[1-9][0-9]*$/.test(logText ?? '') || logN > MAX_LOG_N) {
      throw new BackupOpenError('file', 'This age file asks for a passphrase in a form Larder does not accept (a damaged header, or a work factor above 2^20).')
    }
    return unwrap(await deriveKey(this.#passphrase, salt, logN), stanza.body)
  }
}

/** Encrypts `plaintext` to an age file for `passphrase` (the caller has checked the passphrase's rule). */
export async function encryptWithPassphrase(plaintext: Uint8Array, passphrase: string, logN = DEFAULT_LOG_N): Promise<Uint8Array> {
  const encrypter = new Encrypter()
  encrypter.addRecipient(new PassphraseRecipient(passphrase, logN))
  return encrypter.encrypt(plaintext)
}

/** Decrypts an age file with `passphrase`; a BackupOpenError a person can act on when it does not open. */
export async function decryptWithPassphrase(file: Uint8Array, passphrase: string): Promise<Uint8Array> {
  if (!Buffer.from(file.subarray(0, MAGIC.length)).equals(Buffer.from(MAGIC, 'utf8'))) {
    throw new BackupOpenError('file', 'This is not an age-encrypted file (a Larder backup starts with "age-encryption.org/v1").')
  }
  const decrypter = new Decrypter()
  decrypter.addIdentity(new PassphraseIdentity(passphrase))
  try {
    return await decrypter.decrypt(file)
  } catch (error) {
    if (error instanceof BackupOpenError) throw error
    // The package says "no identity matched" for a wrong passphrase; anything else is a damaged file.
    const message = error instanceof Error ? error.message : ''
    if (message.includes('no identity matched')) throw new BackupOpenError('passphrase', 'That passphrase does not open this backup. Nothing was changed.')
    throw new BackupOpenError('file', 'This backup file is damaged or incomplete (its encryption does not check out). Nothing was changed.')
  }
}
