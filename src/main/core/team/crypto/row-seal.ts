// A team row's secret part, sealed with the team key (issue 16): AES-256-GCM under a key derived for this team and
// purpose (HKDF-SHA256), with the row's identity as additional data. The database holds only the blob, so it cannot
// read a row, move one row's blob under another id, or put an old pair under a newer pair version: each opens only
// where it was sealed. Format v1: 0x01 | nonce (12) | tag (16) | ciphertext.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { encodeParts, TeamCryptoError } from './encoding.ts'

const VERSION = 0x01
const NONCE_BYTES = 12
const TAG_BYTES = 16
export const TEAM_KEY_BYTES = 32

/** What a blob is for: a credential row (library or personal-token entry), the member list, an audit entry, or a join request's label (sealed under the join code's key). */
export type SealPurpose = 'row' | 'roster' | 'audit' | 'join'

/** Where a blob belongs. A row's pair version moves with each refresh, so an older pair cannot be put back. */
export interface RowBinding {
  readonly teamId: string
  readonly rowId: string
  readonly kind: string
  readonly epoch: number
  readonly pairVersion: number
}

export function newTeamKey(): Buffer {
  return randomBytes(TEAM_KEY_BYTES)
}

/** The key for one purpose of one team: HKDF-SHA256(team key, salt = team id, info = larder-team-<purpose>-v1). */
export function purposeKey(teamKey: Buffer, teamId: string, purpose: SealPurpose): Buffer {
  if (teamKey.length !== TEAM_KEY_BYTES) throw new TeamCryptoError(`A team key is ${TEAM_KEY_BYTES} bytes; this one is ${teamKey.length}.`)
  return Buffer.from(hkdfSync('sha256', teamKey, Buffer.from(teamId, 'utf8'), Buffer.from(`larder-team-${purpose}-v1`, 'utf8'), 32))
}

function additionalData(purpose: SealPurpose, binding: RowBinding): Buffer {
  return encodeParts(['larder-team-seal-v1', purpose, binding.teamId, binding.rowId, binding.kind, binding.epoch, binding.pairVersion])
}

export function sealRow(teamKey: Buffer, purpose: SealPurpose, binding: RowBinding, plaintext: Buffer, nonce: Buffer = randomBytes(NONCE_BYTES)): Buffer {
  const cipher = createCipheriv('aes-256-gcm', purposeKey(teamKey, binding.teamId, purpose), nonce)
  cipher.setAAD(additionalData(purpose, binding))
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return Buffer.concat([Buffer.of(VERSION), nonce, cipher.getAuthTag(), body])
}

/** Opens a blob sealed by sealRow for exactly this binding and purpose; anything else is refused. */
export function openRow(teamKey: Buffer, purpose: SealPurpose, binding: RowBinding, blob: Buffer): Buffer {
  if (blob.length < 1 + NONCE_BYTES + TAG_BYTES || blob[0] !== VERSION) throw new TeamCryptoError(`The team ${purpose} ${binding.rowId} is not a sealed blob Larder knows (format v1).`)
  const decipher = createDecipheriv('aes-256-gcm', purposeKey(teamKey, binding.teamId, purpose), blob.subarray(1, 1 + NONCE_BYTES))
  decipher.setAAD(additionalData(purpose, binding))
  decipher.setAuthTag(blob.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES))
  try {
    return Buffer.concat([decipher.update(blob.subarray(1 + NONCE_BYTES + TAG_BYTES)), decipher.final()])
  } catch {
    throw new TeamCryptoError(`The team ${purpose} ${binding.rowId} does not open with this team key where it stands (epoch ${binding.epoch}, pair version ${binding.pairVersion}): it was changed, moved or sealed for another team.`)
  }
}
