// What the crash check's parent and child share. Refresh tokens follow a chain the parent can compute (each the
// HMAC of the one before under a key only this run knows), so the child reports rotations by fingerprint and no
// token ever crosses the pipe: the parent works out which link of the chain the store holds after each kill.
import { createHmac } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { CipherHeader } from '../../src/main/core/vault/cipher.ts'
import { spentFingerprint } from '../../src/main/core/vault/spent-ledger.ts'

export const CHAIN_KEY_ENV = 'LARDER_SQLITE_STUDY_CHAIN_KEY'
/** The bench passphrase (bench/fixtures.ts), so the child need not load the fixtures only for it. */
export const PASSPHRASE_ENV = 'LARDER_SQLITE_STUDY_PASSPHRASE'
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** The refresh token the "server" issues in exchange for `token`. */
export function chainNext(key: Buffer, token: string): string {
  let out = ''
  for (const byte of createHmac('sha256', key).update(token).digest().subarray(0, 30)) out += ALPHANUMERIC[byte % 62]
  return out
}

/** How the child names a token on the pipe. */
export function fingerprint(token: string): string {
  return spentFingerprint(token)
}

/** The child's lines: a token request about to go out, its rotation acknowledged durable, or a token refused as spent. */
export type ChildLine =
  | { readonly event: 'ready' }
  | { readonly event: 'send' | 'ack' | 'spent'; readonly id: string; readonly sent: string }

export function encodeLine(line: ChildLine): string {
  return line.event === 'ready' ? 'ready\n' : `${line.event} ${line.id} ${line.sent}\n`
}

export function decodeLine(text: string): ChildLine | null {
  if (text === 'ready') return { event: 'ready' }
  const [event, id, sent] = text.split(' ')
  if ((event === 'send' || event === 'ack' || event === 'spent') && id !== undefined && sent !== undefined) return { event, id, sent }
  return null
}

/** The passphrase cipher's header (salt, cost, verifier: never a key), so the child derives the same key. */
export function cipherHeaderPath(dir: string): string {
  return path.join(dir, 'cipher.json')
}

export function writeCipherHeader(dir: string, header: CipherHeader): void {
  fs.writeFileSync(cipherHeaderPath(dir), JSON.stringify(header), { mode: 0o600 })
}

export function readCipherHeader(dir: string): CipherHeader {
  return JSON.parse(fs.readFileSync(cipherHeaderPath(dir), 'utf8')) as CipherHeader
}
