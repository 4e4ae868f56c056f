// The cipher used where the OS keychain is missing or weak: a key derived from a passphrase with scrypt,
// once at unlock, then AES-256-GCM with a fresh IV for every value.
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, randomFillSync, scrypt, type KeyObject, type ScryptOptions } from 'node:crypto'
import { longEnoughPassphrase, MIN_PASSPHRASE_LENGTH, PASSPHRASE_TOO_SHORT } from '../../../shared/passphrase-rule.ts'
import { InputError } from '../errors.ts'
import { DecryptError, type Cipher, type CipherHeader } from './cipher.ts'

export const PASSPHRASE_KIND = 'passphrase'
/** A new passphrase's least length: the window's rule too (src/shared/passphrase-rule.ts). */
export { MIN_PASSPHRASE_LENGTH }

export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  readonly N: number
  readonly r: number
  readonly p: number
}

/** About a quarter of a second and 128 MiB on a current laptop: paid once per unlock. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 }

// Bounds on what a header may ask for, so an edited header cannot make unlock take an hour or all memory.
const MIN_LOG2_N = 10
const MAX_LOG2_N = 22
const MAX_R = 32
const MAX_P = 16

const KEY_BYTES = 32
const IV_BYTES = 12
const SALT_BYTES = 16
const TAG_BYTES = 16
const FORMAT = 'v1'
const VERIFIER_PLAINTEXT = 'larder-passphrase-verifier-v1'

/** The passphrase does not open this vault. */
export class WrongPassphraseError extends Error {
  override readonly name = 'WrongPassphraseError'
}

export interface PassphraseCipherHeader extends CipherHeader {
  readonly kdf: 'scrypt'
  readonly salt: string
  readonly N: number
  readonly r: number
  readonly p: number
  readonly verifier: string
}

export interface UnlockedPassphraseCipher {
  readonly cipher: Cipher
  /** What the vault stores so the same passphrase derives the same key next time. */
  readonly header: PassphraseCipherHeader
}

/**
 * Derives the key. Without `header` a new salt is drawn (a new vault); with the header of an existing vault,
 * the passphrase is checked against its verifier and `WrongPassphraseError` is thrown when it does not match.
 */
export async function createPassphraseCipher(
  passphrase: string,
  header?: CipherHeader,
  options: { readonly cost?: ScryptCost } = {}
): Promise<UnlockedPassphraseCipher> {
  // Only a new passphrase is measured: one set under an older, shorter rule still unlocks its vault.
  const secret = checkPassphrase(passphrase, header === undefined)
  if (header === undefined) {
    const cost = checkCost(options.cost ?? DEFAULT_SCRYPT_COST, 'cost')
    const salt = randomBytes(SALT_BYTES)
    const key = await deriveKey(secret, salt, cost)
    const verifier = seal(key, VERIFIER_PLAINTEXT)
    const fresh: PassphraseCipherHeader = { kdf: 'scrypt', salt: salt.toString('base64'), ...cost, verifier }
    return { cipher: cipherFor(key, fresh), header: fresh }
  }
  const stored = readHeader(header)
  const key = await deriveKey(secret, Buffer.from(stored.salt, 'base64'), stored)
  let opened: string | null = null
  try {
    opened = open(key, stored.verifier)
  } catch {
    opened = null
  }
  if (opened !== VERIFIER_PLAINTEXT) throw new WrongPassphraseError('That passphrase does not unlock this vault.')
  return { cipher: cipherFor(key, stored), header: stored }
}

function cipherFor(key: Buffer, header: PassphraseCipherHeader): Cipher {
  // A KeyObject made once: handing createCipheriv the raw bytes makes it import the key again on every value.
  const secretKey = createSecretKey(key)
  return {
    kind: PASSPHRASE_KIND,
    header,
    encrypt: async (plain) => {
      if (typeof plain !== 'string') throw new InputError('plain', 'Only text can be encrypted')
      return seal(secretKey, plain)
    },
    decrypt: async (sealed) => open(secretKey, sealed)
  }
}

function checkPassphrase(passphrase: unknown, isNew: boolean): string {
  if (typeof passphrase !== 'string') throw new InputError('passphrase', 'The passphrase must be text')
  // The same characters typed on another keyboard or input method can arrive in another Unicode form.
  const normalized = passphrase.normalize('NFC')
  if (normalized.trim() === '') throw new InputError('passphrase', 'The passphrase is empty')
  if (isNew && !longEnoughPassphrase(normalized)) throw new InputError('passphrase', PASSPHRASE_TOO_SHORT)
  return normalized
}

function checkCost(cost: unknown, field: string): ScryptCost {
  if (typeof cost !== 'object' || cost === null) throw new InputError(field, `${field} must be an object with N, r and p`)
  const { N, r, p } = cost as Record<string, unknown>
  const log2N = typeof N === 'number' ? Math.log2(N) : NaN
  if (!Number.isInteger(log2N) || log2N < MIN_LOG2_N || log2N > MAX_LOG2_N) {
    throw new InputError(`${field}.N`, `${field}.N must be a power of two between 2^${MIN_LOG2_N} and 2^${MAX_LOG2_N}`)
  }
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 1 || r > MAX_R) throw new InputError(`${field}.r`, `${field}.r must be a whole number from 1 to ${MAX_R}`)
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > MAX_P) throw new InputError(`${field}.p`, `${field}.p must be a whole number from 1 to ${MAX_P}`)
  return { N: N as number, r, p }
}

function readHeader(header: CipherHeader): PassphraseCipherHeader {
  if (typeof header !== 'object' || header === null) throw new InputError('header', 'The vault header must be an object')
  if (header['kdf'] !== 'scrypt') throw new InputError('header.kdf', 'The vault header does not describe a scrypt passphrase key')
  const salt = header['salt']
  if (typeof salt !== 'string' || Buffer.from(salt, 'base64').length !== SALT_BYTES) {
    throw new InputError('header.salt', `The vault header salt must be ${SALT_BYTES} bytes of base64`)
  }
  const verifier = header['verifier']
  if (typeof verifier !== 'string' || verifier === '') throw new InputError('header.verifier', 'The vault header has no passphrase verifier')
  const cost = checkCost({ N: header['N'], r: header['r'], p: header['p'] }, 'header')
  return { kdf: 'scrypt', salt, ...cost, verifier }
}

function deriveKey(passphrase: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node refuses more than 32 MiB unless told.
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 16 * 1024 * 1024 }
  return new Promise((resolve, reject) => {
    scrypt(passphrase, salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)))
  })
}

/**
 * Fresh random IVs, taken from a pool refilled from the CSPRNG: one call per IV costs more than the encryption
 * itself during a burst of rotations. Each IV is copied out and its bytes are never handed out twice.
 */
const ivPool = { bytes: Buffer.alloc(IV_BYTES * 256), next: Number.POSITIVE_INFINITY }

/** A view of the pool's next unused bytes: used (copied by the cipher, written out as text) before the pool is refilled. */
function freshIv(): Buffer {
  if (ivPool.next + IV_BYTES > ivPool.bytes.length) {
    randomFillSync(ivPool.bytes)
    ivPool.next = 0
  }
  const iv = ivPool.bytes.subarray(ivPool.next, ivPool.next + IV_BYTES)
  ivPool.next += IV_BYTES
  return iv
}

/** update's output, with final's when there is any (GCM, a stream mode, has none). */
function finished(update: Buffer, final: Buffer): Buffer {
  return final.length === 0 ? update : Buffer.concat([update, final])
}

function seal(key: Buffer | KeyObject, plain: string): string {
  const iv = freshIv()
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const body = finished(cipher.update(plain, 'utf8'), cipher.final())
  return `${FORMAT}:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${body.toString('base64')}`
}

function open(key: Buffer | KeyObject, sealed: string): string {
  if (typeof sealed !== 'string') throw new DecryptError('A sealed value must be text')
  const parts = sealed.split(':')
  if (parts.length !== 4 || parts[0] !== FORMAT) throw new DecryptError('This is not a value sealed by the passphrase cipher (unknown format)')
  const iv = Buffer.from(parts[1] ?? '', 'base64')
  const tag = Buffer.from(parts[2] ?? '', 'base64')
  const body = Buffer.from(parts[3] ?? '', 'base64')
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new DecryptError('A sealed value is damaged (bad IV or tag length)')
  try {
    // The tag's length is checked above (TAG_BYTES, GCM's full 16 bytes), so the option that would say it again is left
    // out: it costs an extra call into OpenSSL on every value opened.
    const decipher = createDecipheriv('aes-256-gcm', key, iv)
    decipher.setAuthTag(tag)
    return finished(decipher.update(body), decipher.final()).toString('utf8')
  } catch {
    throw new DecryptError('A sealed value did not open: it was changed, or it was sealed with a different key')
  }
}
