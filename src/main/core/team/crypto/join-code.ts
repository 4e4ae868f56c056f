// Joining a team (issue 16): the new member's Larder shows a short code that never leaves the screen it is on; a
// member already in types it, and both sides prove knowledge of it with HMACs keyed by scrypt(code): the request (so
// the database cannot swap in its own public keys) and the approval (so it cannot feed the joiner a team of its own).
// 10 Crockford base32 characters (50 bits), shown XXXXX-XXXXX; a request lives minutes and dies after a few wrong tries,
// so the scrypt cost only has to outlast those minutes.
import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { InputError } from '../../errors.ts'
import { encodeParts, type Part } from './encoding.ts'

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const CODE_CHARACTERS = 10
/** scrypt cost: about 0.1–0.3 s here, once per request on each side. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const

/** A fresh code, as shown: XXXXX-XXXXX. */
export function newJoinCode(): string {
  const bytes = randomBytes(7)
  let bits = 0n
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte)
  let code = ''
  for (let i = 0; i < CODE_CHARACTERS; i++) code += ALPHABET[Number((bits >> BigInt(5 * i)) & 31n)]
  return `${code.slice(0, 5)}-${code.slice(5)}`
}

/** A code as typed: case, spaces and dashes do not matter, and I/L read as 1, O as 0 (Crockford). */
export function parseJoinCode(typed: string): string {
  const plain = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0')
  if (plain.length !== CODE_CHARACTERS || [...plain].some((character) => !ALPHABET.includes(character))) {
    throw new InputError('code', `A join code is ${CODE_CHARACTERS} letters and digits, shown as XXXXX-XXXXX on the new member's screen.`)
  }
  return `${plain.slice(0, 5)}-${plain.slice(5)}`
}

/** K = scrypt(code, salt = the request's id): the key both MACs are made with. */
export function joinKey(code: string, requestId: string): Promise<Buffer> {
  const canonical = parseJoinCode(code)
  return new Promise((resolve, reject) => scrypt(canonical, `larder-team-join-v1:${requestId}`, 32, SCRYPT, (error, key) => (error ? reject(error) : resolve(key))))
}

export function joinMac(key: Buffer, parts: readonly Part[]): Buffer {
  return createHmac('sha256', key).update(encodeParts(['larder-team-join-mac-v1', ...parts])).digest()
}

export function joinMacMatches(key: Buffer, parts: readonly Part[], mac: Buffer): boolean {
  const expected = joinMac(key, parts)
  return mac.length === expected.length && timingSafeEqual(mac, expected)
}
