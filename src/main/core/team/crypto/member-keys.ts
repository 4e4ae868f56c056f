// A member's own keys (issue 16): X25519 to receive the team key, Ed25519 to sign what it approves and audits. The
// team key reaches a member wrapped for its X25519 key alone, sealed-box style: a fresh ephemeral key pair per wrap,
// X25519 with the member's public key, HKDF-SHA256 bound to the team, member and epoch, AES-256-GCM. Only the member's
// private key opens it; the database holds the wrap and cannot move it to another member or epoch.
// Wrap format v1: 0x01 | ephemeral public key (32) | nonce (12) | tag (16) | ciphertext (32).
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto'
import { encodeParts, TeamCryptoError, type Part } from './encoding.ts'
import { TEAM_KEY_BYTES } from './row-seal.ts'

const VERSION = 0x01
const PUBLIC_BYTES = 32
const NONCE_BYTES = 12
const TAG_BYTES = 16

export interface MemberKeys {
  /** X25519: the team key is wrapped for it. */
  readonly wrapping: { readonly publicKey: Buffer; readonly privateKey: KeyObject }
  /** Ed25519: approvals and audit entries are signed with it. */
  readonly signing: { readonly publicKey: Buffer; readonly privateKey: KeyObject }
}

/** Who a wrap is for. */
export interface WrapBinding {
  readonly teamId: string
  readonly memberId: string
  readonly epoch: number
}

const rawPublic = (key: KeyObject): Buffer => Buffer.from(key.export({ format: 'jwk' }).x as string, 'base64url')

function publicKeyOf(curve: 'X25519' | 'Ed25519', raw: Buffer): KeyObject {
  if (raw.length !== PUBLIC_BYTES) throw new TeamCryptoError(`An ${curve} public key is ${PUBLIC_BYTES} bytes; this one is ${raw.length}.`)
  return createPublicKey({ key: { kty: 'OKP', crv: curve, x: raw.toString('base64url') }, format: 'jwk' })
}

export function newMemberKeys(): MemberKeys {
  const wrapping = generateKeyPairSync('x25519')
  const signing = generateKeyPairSync('ed25519')
  return {
    wrapping: { publicKey: rawPublic(wrapping.publicKey), privateKey: wrapping.privateKey },
    signing: { publicKey: rawPublic(signing.publicKey), privateKey: signing.privateKey }
  }
}

/** The private keys as PKCS#8 DER, for the member's own vault to seal; and back. */
export function exportMemberKeys(keys: MemberKeys): { readonly wrapping: Buffer; readonly signing: Buffer } {
  return { wrapping: keys.wrapping.privateKey.export({ format: 'der', type: 'pkcs8' }), signing: keys.signing.privateKey.export({ format: 'der', type: 'pkcs8' }) }
}

export function importMemberKeys(der: { readonly wrapping: Buffer; readonly signing: Buffer }): MemberKeys {
  const wrapping = createPrivateKey({ key: der.wrapping, format: 'der', type: 'pkcs8' })
  const signing = createPrivateKey({ key: der.signing, format: 'der', type: 'pkcs8' })
  if (wrapping.asymmetricKeyType !== 'x25519' || signing.asymmetricKeyType !== 'ed25519') throw new TeamCryptoError('The member keys are not an X25519 and an Ed25519 key.')
  return {
    wrapping: { publicKey: rawPublic(createPublicKey(wrapping)), privateKey: wrapping },
    signing: { publicKey: rawPublic(createPublicKey(signing)), privateKey: signing }
  }
}

function wrapKey(shared: Buffer, ephemeral: Buffer, binding: WrapBinding): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, ephemeral, encodeParts(['larder-team-wrap-v1', binding.teamId, binding.memberId, binding.epoch]), 32))
}

const wrapAad = (binding: WrapBinding, ephemeral: Buffer): Buffer => encodeParts(['larder-team-wrap-v1', binding.teamId, binding.memberId, binding.epoch, ephemeral])

export function wrapTeamKey(teamKey: Buffer, memberWrappingKey: Buffer, binding: WrapBinding): Buffer {
  if (teamKey.length !== TEAM_KEY_BYTES) throw new TeamCryptoError(`A team key is ${TEAM_KEY_BYTES} bytes; this one is ${teamKey.length}.`)
  const ephemeral = generateKeyPairSync('x25519')
  const ephemeralPublic = rawPublic(ephemeral.publicKey)
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: publicKeyOf('X25519', memberWrappingKey) })
  const nonce = randomBytes(NONCE_BYTES)
  const cipher = createCipheriv('aes-256-gcm', wrapKey(shared, ephemeralPublic, binding), nonce)
  cipher.setAAD(wrapAad(binding, ephemeralPublic))
  const body = Buffer.concat([cipher.update(teamKey), cipher.final()])
  return Buffer.concat([Buffer.of(VERSION), ephemeralPublic, nonce, cipher.getAuthTag(), body])
}

export function unwrapTeamKey(wrapped: Buffer, keys: MemberKeys, binding: WrapBinding): Buffer {
  const expected = 1 + PUBLIC_BYTES + NONCE_BYTES + TAG_BYTES + TEAM_KEY_BYTES
  if (wrapped.length !== expected || wrapped[0] !== VERSION) throw new TeamCryptoError(`The team key wrapped for member ${binding.memberId} (epoch ${binding.epoch}) is not a wrap Larder knows (format v1).`)
  const ephemeralPublic = wrapped.subarray(1, 1 + PUBLIC_BYTES)
  const nonce = wrapped.subarray(1 + PUBLIC_BYTES, 1 + PUBLIC_BYTES + NONCE_BYTES)
  const tag = wrapped.subarray(1 + PUBLIC_BYTES + NONCE_BYTES, 1 + PUBLIC_BYTES + NONCE_BYTES + TAG_BYTES)
  try {
    const shared = diffieHellman({ privateKey: keys.wrapping.privateKey, publicKey: publicKeyOf('X25519', Buffer.from(ephemeralPublic)) })
    const decipher = createDecipheriv('aes-256-gcm', wrapKey(shared, Buffer.from(ephemeralPublic), binding), nonce)
    decipher.setAAD(wrapAad(binding, Buffer.from(ephemeralPublic)))
    decipher.setAuthTag(tag)
    return Buffer.concat([decipher.update(wrapped.subarray(1 + PUBLIC_BYTES + NONCE_BYTES + TAG_BYTES)), decipher.final()])
  } catch {
    throw new TeamCryptoError(`The team key wrapped for member ${binding.memberId} (epoch ${binding.epoch}) does not open with this member's key: it was made for another member, team or epoch, or changed.`)
  }
}

/** An Ed25519 signature over length-prefixed parts (an approval, an audit entry). */
export function signParts(keys: MemberKeys, parts: readonly Part[]): Buffer {
  return sign(null, encodeParts(parts), keys.signing.privateKey)
}

export function verifyParts(signingPublicKey: Buffer, parts: readonly Part[], signature: Buffer): boolean {
  try {
    return verify(null, encodeParts(parts), publicKeyOf('Ed25519', signingPublicKey), signature)
  } catch {
    return false
  }
}
