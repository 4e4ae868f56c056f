// This machine's team membership (core/team/team-settings.ts): every value a person or the server could use is sealed
// with the vault's key for its own purpose, so the file beside the vault holds no URL, password, private key or team
// key in clear; a sealed value moved to another purpose does not open; a damaged file is refused, never reset.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { newMemberKeys } from '../../../src/main/core/team/crypto/member-keys.ts'
import { newTeamKey } from '../../../src/main/core/team/crypto/row-seal.ts'
import {
  openDatabaseSettings,
  openJoinCode,
  openMemberKeys,
  openTeamKey,
  readTeamFile,
  sealMembership,
  sealTeamKey,
  teamFilePath,
  TeamFileError,
  writeTeamFile,
  type TeamFile
} from '../../../src/main/core/team/team-settings.ts'
import { newCipher, open, tempDir, trackVault } from '../vault/fixtures.ts'

const URL = 'postgres://larder:s3cret-db-pass@db.example.com:5432/team'

describe('team settings beside the vault', () => {
  it('seals the URL, keys and team key; the file holds none of them in clear and opens them again', async () => {
    const dir = tempDir()
    const vault = trackVault(await open(dir, await newCipher()))
    const keys = newMemberKeys()
    const teamKey = newTeamKey()
    const sealed = await sealMembership(vault, { database: { url: URL, caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' }, keys, joinCode: 'ABCDE-FGHJK' })
    const team: TeamFile = { teamId: null, memberId: '0c5a4c1e-63f4-4f4a-9d35-8a2a8f1b6a01', label: 'Dana', state: 'joining', schema: 'larder', ...sealed, sealedTeamKeys: { '1': await sealTeamKey(vault, 1, teamKey) }, currentEpoch: 1, roster: { version: 2, epoch: 1, sealed: 'AAEC' } }
    const file = teamFilePath(vault.path)
    writeTeamFile(file, team)

    const raw = fs.readFileSync(file)
    for (const secret of [URL, 's3cret-db-pass', 'db.example.com', 'ABCDE-FGHJK', teamKey.toString('base64'), keys.wrapping.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')]) {
      expect(raw.includes(secret), secret.slice(0, 12)).toBe(false)
    }
    const read = readTeamFile(file)
    expect(read).toEqual({ ...team, auditPushedSeq: 0 })
    expect(await openDatabaseSettings(vault, read!)).toEqual({ url: URL, caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' })
    expect((await openMemberKeys(vault, read!)).wrapping.publicKey.equals(keys.wrapping.publicKey)).toBe(true)
    expect(await openJoinCode(vault, read!)).toBe('ABCDE-FGHJK')
    expect((await openTeamKey(vault, read!, 1))?.equals(teamKey)).toBe(true)
    expect(await openTeamKey(vault, read!, 2)).toBeUndefined()
  })

  it('a sealed value put under another purpose does not open', async () => {
    const vault = trackVault(await open(tempDir(), await newCipher()))
    const sealed = await sealMembership(vault, { database: { url: URL }, keys: newMemberKeys(), joinCode: null })
    const swapped: TeamFile = { teamId: 't', memberId: 'm', label: 'Dana', state: 'member', schema: 'larder', ...sealed, sealedMemberKeys: sealed.sealedDatabase, sealedTeamKeys: {}, currentEpoch: 1, roster: null }
    await expect(openMemberKeys(vault, swapped)).rejects.toThrow("not this vault's team-member-keys")
  })

  it('no file: in no team; a damaged file is refused with the file named, and left as it was', () => {
    const dir = tempDir()
    const file = path.join(dir, 'vault.json.team')
    expect(readTeamFile(file)).toBeNull()
    for (const content of ['{not json', JSON.stringify({ format: 'larder-team', version: 1, state: 'member', memberId: 'm' }), JSON.stringify({ format: 'larder-team', version: 2 })]) {
      fs.writeFileSync(file, content)
      expect(() => readTeamFile(file)).toThrow(TeamFileError)
      expect(() => readTeamFile(file)).toThrow(file)
      expect(fs.readFileSync(file, 'utf8')).toBe(content)
    }
  })
})
