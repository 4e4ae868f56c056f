// Both ends prove they know the data folder's key (32 random bytes in run/endpoint.key, 0600, fresh per holder):
// the client with a mac over its nonce, the server with a mac over the same nonce under another role, in the one
// round trip the call already makes. On Unix the folder's modes are the access control and this is defence in
// depth (a socket swapped in by someone else cannot answer); on Windows, where a pipe can be squatted, it is the check.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { checkPrivateFile } from './checks.ts'

export const KEY_BYTES = 32
const NONCE_BYTES = 16

export type ProofRole = 'client' | 'server'

export function newNonce(): string {
  return crypto.randomBytes(NONCE_BYTES).toString('base64')
}

/** A nonce as the client must send it: 16 bytes in canonical base64. */
export function isNonce(value: unknown): value is string {
  return typeof value === 'string' && value.length === 24 && Buffer.from(value, 'base64').toString('base64') === value
}

export function macFor(key: Buffer, role: ProofRole, nonce: string): string {
  return crypto.createHmac('sha256', key).update(`${role}|${nonce}`).digest('base64')
}

/** Compared in constant time; anything that is not a mac of the right length simply does not match. */
export function macMatches(key: Buffer, role: ProofRole, nonce: string, mac: unknown): boolean {
  if (typeof mac !== 'string') return false
  const expected = Buffer.from(macFor(key, role, nonce))
  const given = Buffer.from(mac)
  return given.length === expected.length && crypto.timingSafeEqual(given, expected)
}

export function newKey(): Buffer {
  return crypto.randomBytes(KEY_BYTES)
}

/** Written 0600 under a temporary name and renamed over the old key, so no reader sees half a key. */
export function writeKey(file: string, key: Buffer): void {
  const temporary = path.join(path.dirname(file), `.endpoint.key.${process.pid}.${crypto.randomBytes(4).toString('hex')}`)
  fs.writeFileSync(temporary, key, { mode: 0o600, flag: 'wx' })
  fs.renameSync(temporary, file)
}

/** The key, if it is a private file of this user's own and of the right size. Throws ENOENT as Node does. */
export function readKey(file: string): Buffer {
  checkPrivateFile(file)
  const key = fs.readFileSync(file)
  if (key.length !== KEY_BYTES) throw new Error(`The endpoint key ${file} is ${key.length} bytes, not ${KEY_BYTES}.`)
  return key
}
