// The team store's crypto (issue 16, step 3): a row's blob opens only with its team's key and exactly where it was
// sealed (team, row, kind, epoch, pair version, purpose); the team key reaches only the member it was wrapped for;
// signatures and join MACs check what they cover; errors say what failed and carry no key or plaintext. A fixed
// vector pins the sealed format, so a change to it cannot slip by.
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/main/core/errors.ts'
import { TeamCryptoError } from '../../../src/main/core/team/crypto/encoding.ts'
import { joinKey, joinMac, joinMacMatches, newJoinCode, parseJoinCode } from '../../../src/main/core/team/crypto/join-code.ts'
import { exportMemberKeys, importMemberKeys, newMemberKeys, signParts, unwrapTeamKey, verifyParts, wrapTeamKey } from '../../../src/main/core/team/crypto/member-keys.ts'
import { newTeamKey, openRow, sealRow, type RowBinding } from '../../../src/main/core/team/crypto/row-seal.ts'

const binding: RowBinding = { teamId: 'team-1', rowId: 'row-1', kind: 'library', epoch: 1, pairVersion: 3 }
const secret = Buffer.from('{"name":"Grill Haven","refreshToken":"rt-live-secret"}')

function refusal(run: () => unknown): TeamCryptoError {
  try {
    run()
  } catch (error) {
    if (error instanceof TeamCryptoError) return error
    throw error
  }
  throw new Error('expected a TeamCryptoError')
}

describe('a team row sealed with the team key', () => {
  it('opens with the same key where it was sealed, and the blob does not hold the plaintext', () => {
    const key = newTeamKey()
    const blob = sealRow(key, 'row', binding, secret)
    expect(openRow(key, 'row', binding, blob)).toEqual(secret)
    expect(blob.includes(Buffer.from('rt-live-secret'))).toBe(false)
    // A fresh nonce each time: the same row sealed twice gives two blobs.
    expect(sealRow(key, 'row', binding, secret).equals(blob)).toBe(false)
  })

  it('is refused anywhere else: another team key, row, kind, epoch, pair version, team or purpose, a changed byte, another format', () => {
    const key = newTeamKey()
    const blob = sealRow(key, 'row', binding, secret)
    const elsewhere: [string, () => unknown][] = [
      ['another team key', () => openRow(newTeamKey(), 'row', binding, blob)],
      ['another row', () => openRow(key, 'row', { ...binding, rowId: 'row-2' }, blob)],
      ['another kind', () => openRow(key, 'row', { ...binding, kind: 'entry' }, blob)],
      ['another epoch', () => openRow(key, 'row', { ...binding, epoch: 2 }, blob)],
      ['an older pair put back', () => openRow(key, 'row', { ...binding, pairVersion: 4 }, blob)],
      ['another team', () => openRow(key, 'row', { ...binding, teamId: 'team-2' }, blob)],
      ['another purpose', () => openRow(key, 'audit', binding, blob)]
    ]
    for (let i = 1; i < blob.length; i += 7) {
      const flipped = Buffer.from(blob)
      flipped[i] = (flipped[i] as number) ^ 1
      elsewhere.push([`byte ${i} changed`, () => openRow(key, 'row', binding, flipped)])
    }
    elsewhere.push(['another format', () => openRow(key, 'row', binding, Buffer.concat([Buffer.of(2), blob.subarray(1)]))])
    elsewhere.push(['too short', () => openRow(key, 'row', binding, blob.subarray(0, 20))])
    for (const [what, run] of elsewhere) {
      const error = refusal(run)
      expect(error.message, what).toMatch(/team (row|audit) row-\d/)
      expect(error.message, what).not.toContain(key.toString('hex'))
      expect(error.message, what).not.toContain('rt-live-secret')
    }
  })

  it('keeps its format (a fixed vector: key 0x07…, nonce 0x09…)', () => {
    const vector = Buffer.from('010909090909090909090909091ff7aa44f98f77b4612674556538b5044db3f8749afff87ffce6efa9b0be8dc3d46076b9f577', 'hex')
    expect(sealRow(Buffer.alloc(32, 7), 'row', binding, Buffer.from('{"name":"Grill Haven"}'), Buffer.alloc(12, 9))).toEqual(vector)
    expect(openRow(Buffer.alloc(32, 7), 'row', binding, vector).toString()).toBe('{"name":"Grill Haven"}')
  })

  it('refuses a team key of the wrong size', () => {
    expect(() => sealRow(Buffer.alloc(16), 'row', binding, secret)).toThrow(TeamCryptoError)
  })
})

describe("the team key wrapped for a member", () => {
  const wrapFor = { teamId: 'team-1', memberId: 'member-a', epoch: 1 }

  it('opens with that member’s private key only, and for that team, member and epoch only', () => {
    const teamKey = newTeamKey()
    const a = newMemberKeys()
    const b = newMemberKeys()
    const wrapped = wrapTeamKey(teamKey, a.wrapping.publicKey, wrapFor)
    expect(unwrapTeamKey(wrapped, a, wrapFor)).toEqual(teamKey)
    expect(wrapped.includes(teamKey)).toBe(false)
    for (const [what, run] of [
      ['another member’s key', () => unwrapTeamKey(wrapped, b, wrapFor)],
      ['another member id', () => unwrapTeamKey(wrapped, a, { ...wrapFor, memberId: 'member-b' })],
      ['another epoch', () => unwrapTeamKey(wrapped, a, { ...wrapFor, epoch: 2 })],
      ['another team', () => unwrapTeamKey(wrapped, a, { ...wrapFor, teamId: 'team-2' })],
      ['a changed byte', () => unwrapTeamKey(Buffer.concat([wrapped.subarray(0, 50), Buffer.of((wrapped[50] as number) ^ 1), wrapped.subarray(51)]), a, wrapFor)],
      ['a cut wrap', () => unwrapTeamKey(wrapped.subarray(0, 60), a, wrapFor)]
    ] as const) {
      const error = refusal(run)
      expect(error.message, what).toContain('member')
      expect(error.message, what).not.toContain(teamKey.toString('hex'))
    }
  })

  it('survives the member’s keys being saved and read back (PKCS#8, as the member’s vault keeps them)', () => {
    const teamKey = newTeamKey()
    const a = newMemberKeys()
    const again = importMemberKeys(exportMemberKeys(a))
    expect(again.wrapping.publicKey).toEqual(a.wrapping.publicKey)
    expect(again.signing.publicKey).toEqual(a.signing.publicKey)
    expect(unwrapTeamKey(wrapTeamKey(teamKey, a.wrapping.publicKey, wrapFor), again, wrapFor)).toEqual(teamKey)
    expect(() => importMemberKeys({ wrapping: exportMemberKeys(a).signing, signing: exportMemberKeys(a).wrapping })).toThrow(TeamCryptoError)
  })

  it('refuses to wrap for a public key that is not 32 bytes', () => {
    expect(() => wrapTeamKey(newTeamKey(), Buffer.alloc(31), wrapFor)).toThrow(TeamCryptoError)
  })
})

describe('a member’s signature', () => {
  it('checks what it covers, with the signer’s key only; a malformed key is simply no match', () => {
    const a = newMemberKeys()
    const b = newMemberKeys()
    const parts = ['approve', 'request-1', 'team-1', 2]
    const signature = signParts(a, parts)
    expect(verifyParts(a.signing.publicKey, parts, signature)).toBe(true)
    expect(verifyParts(a.signing.publicKey, ['approve', 'request-1', 'team-1', 3], signature)).toBe(false)
    // Length-prefixed: moving a boundary between parts changes what is signed.
    expect(verifyParts(a.signing.publicKey, ['approve', 'request-1team-1', '', 2], signature)).toBe(false)
    expect(verifyParts(b.signing.publicKey, parts, signature)).toBe(false)
    expect(verifyParts(Buffer.alloc(5), parts, signature)).toBe(false)
  })
})

describe('the join code', () => {
  it('is 10 Crockford base32 characters shown XXXXX-XXXXX, different each time', () => {
    const codes = new Set(Array.from({ length: 2_000 }, () => newJoinCode()))
    expect(codes.size).toBe(2_000)
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/)
  })

  it('reads as typed: case, spaces and dashes do not matter, I and L are 1, O is 0; anything else is refused naming the field', () => {
    expect(parseJoinCode(' 7kq2m  x9ta1 ')).toBe('7KQ2M-X9TA1')
    expect(parseJoinCode('7kq2m-x9tal')).toBe('7KQ2M-X9TA1')
    expect(parseJoinCode('O0O0O-IiLl1')).toBe('00000-11111')
    for (const typed of ['', '7KQ2M-X9TA', '7KQ2M-X9TA12', '7KQ2M-X9TAU', '7KQ2M_X9TA1']) {
      expect(() => parseJoinCode(typed), typed).toThrow(InputError)
      try {
        parseJoinCode(typed)
      } catch (error) {
        expect((error as InputError).field).toBe('code')
      }
    }
  })

  it('keys the request’s and the approval’s MACs: the same code as typed gives the same key, another code or request does not', async () => {
    const code = newJoinCode()
    const key = await joinKey(code, 'request-1')
    expect(await joinKey(code.toLowerCase().replace('-', ' '), 'request-1')).toEqual(key)
    expect(await joinKey(code, 'request-2')).not.toEqual(key)
    const other = code.startsWith('0') ? `1${code.slice(1)}` : `0${code.slice(1)}`
    expect(await joinKey(other, 'request-1')).not.toEqual(key)
    const parts = ['join', 'request-1', Buffer.alloc(32, 1), Buffer.alloc(32, 2)]
    const mac = joinMac(key, parts)
    expect(joinMacMatches(key, parts, mac)).toBe(true)
    expect(joinMacMatches(key, ['join', 'request-1', Buffer.alloc(32, 3), Buffer.alloc(32, 2)], mac)).toBe(false)
    expect(joinMacMatches(await joinKey(other, 'request-1'), parts, mac)).toBe(false)
    expect(joinMacMatches(key, parts, mac.subarray(0, 16))).toBe(false)
  })
})
