// `larder team` before it asks Larder anything: its help, and every usage mistake exits 2 with a `larder:` line
// naming what was wrong (a database URL on the command line refused without being repeated), reaching no data folder.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../../../src/main/cli/main.ts'
import { EXIT_CODES } from '../../../src/shared/terminal-words.ts'

const VARIABLE = 'LARDER_TEAM_DATABASE_URL'
const SECRET_URL = 'postgresql://larder:s3cret-Pa55@db.example.com:5432/team'

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, { out: (text) => void (out += text), err: (text) => void (err += text) })
  return { code, out, err }
}

describe('larder team, before it asks Larder anything', () => {
  let dataDir: string
  let saved: string | undefined
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-team-usage-'))
    saved = process.env[VARIABLE]
    delete process.env[VARIABLE]
  })
  afterEach(() => {
    if (saved === undefined) delete process.env[VARIABLE]
    else process.env[VARIABLE] = saved
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('lists the team commands and the variable in the help, exit codes still documented', async () => {
    const main = await run('--help')
    for (const line of ['larder team status [--json]', 'larder team join --name NAME', 'larder team create --name NAME', 'larder team approve CODE', 'larder team leave [--yes]', 'larder team take-home [--yes]', VARIABLE, '14 offline from the team database']) {
      expect(main.out).toContain(line)
    }
    const team = await run('team', '--help')
    expect(team).toMatchObject({ code: EXIT_CODES.ok, err: '' })
    expect(team.out).toContain('never from\nthe command line')
    expect((await run('agent', '--help')).out).toContain(VARIABLE)
  })

  it('says what was wrong and exits 2, reaching no data folder', async () => {
    const notPem = path.join(dataDir, '..', `not-a-ca-${process.pid}.txt`)
    fs.writeFileSync(notPem, 'hello\n')
    process.env[VARIABLE] = SECRET_URL
    const cases: [string[], string][] = [
      [['team'], 'larder team needs what to do: status, create, join, approve, leave, take-home.'],
      [['team', 'frobnicate'], 'Unknown larder team command "frobnicate"'],
      [['team', 'approve'], 'larder team approve takes one CODE'],
      [['team', 'approve', 'A', 'B'], 'larder team approve takes one CODE'],
      [['team', 'status', 'extra'], 'larder team status takes no argument; got 1.'],
      [['team', 'status', '--name', 'Ana'], 'larder team status takes no --name.'],
      [['team', 'approve', 'ABCDE-FGHJK', '--yes'], 'larder team approve takes no --yes.'],
      [['team', 'join'], 'larder team join needs --name NAME'],
      [['team', 'join', '--name', 'Ana', '--ca', path.join(dataDir, 'missing.pem')], 'missing.pem cannot be read (ENOENT).'],
      [['team', 'join', '--name', 'Ana', '--ca', notPem], 'holds no PEM certificate'],
      [['team', 'leave'], 'larder team leave asks for confirmation on a terminal; without one, add --yes to confirm.'],
      [['team', 'take-home'], 'larder team take-home asks for confirmation on a terminal; without one, add --yes to confirm.'],
      [['team', 'join', '--name', 'Ana', SECRET_URL], `larder team takes no database URL on its command line, where every user of this machine can read it (ps). Set ${VARIABLE} instead.`],
      [['team', 'create', `--name=${SECRET_URL}`], 'larder team takes no database URL on its command line']
    ]
    try {
      for (const [argv, said] of cases) {
        const { code, out, err } = await run(...argv, '--data-dir', dataDir)
        expect(code, argv.join(' ')).toBe(EXIT_CODES.usage)
        expect(out).toBe('')
        expect(err).toMatch(/^larder: /)
        expect(err).toContain(said)
        expect(err).not.toContain('s3cret-Pa55')
      }
      delete process.env[VARIABLE]
      const missing = await run('team', 'create', '--name', 'Ana', '--data-dir', dataDir)
      expect(missing.code).toBe(EXIT_CODES.usage)
      expect(missing.err).toContain(`larder team create reads the team database's URL from ${VARIABLE}`)
      // Nothing was made in the folder: a usage mistake never reaches the endpoint.
      expect(fs.readdirSync(dataDir)).toEqual([])
    } finally {
      fs.rmSync(notPem, { force: true })
    }
  })
})
