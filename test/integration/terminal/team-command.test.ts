// `larder team` (issue 16): a team made and joined from terminals alone, two headless agents on a real PostgreSQL.
// The database URL goes only through LARDER_TEAM_DATABASE_URL; one in argv is refused without being repeated. The
// team database's owner has a password of its own, rotated by "the DBA" midway: an agent restarted on the saved URL
// is offline (and `larder status` says so on one line), one restarted with the new URL in LARDER_TEAM_DATABASE_URL is
// online; a URL reaching a database without this team, or one the TLS rule refuses, stops the agent with its reason.
// No password appears in any output, log or answer.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { EXIT_CODES } from '../../../src/shared/terminal-words.ts'
import { databaseUrl, findPgBinaries, pgServerForSuite } from '../../support/postgres-server.ts'
import { agentLog, killStragglers, LARDER_BIN, larder, run, startWorld, type AgentProcess, type Finished, type TerminalWorld } from '../../support/terminal-harness.ts'
import { larderOnTerminal, type OnTerminal } from '../../support/terminal-pty.ts'

const binaries = findPgBinaries()
const VARIABLE = 'LARDER_TEAM_DATABASE_URL'
const OLD_PASSWORD = `old-${randomBytes(12).toString('hex')}`
const NEW_PASSWORD = `new-${randomBytes(12).toString('hex')}`
const WRONG_PASSWORD = `wrong-${randomBytes(12).toString('hex')}`

/** Every output of every process this file ran, checked for the passwords at the end. */
const outputs: string[] = []
const agents: AgentProcess[] = []

/** `larder …` on a world's folder, its output kept for the password check. */
async function cli(world: TerminalWorld, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  const end = await larder(world, args, { env: { [VARIABLE]: undefined, ...env } }).done
  outputs.push(end.stdout, end.stderr)
  return end
}

/** `larder agent` on a world's folder, with LARDER_TEAM_DATABASE_URL set only when given. */
function agentOn(world: TerminalWorld, teamUrl?: string): AgentProcess {
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env['LARDER_DATA_DIR']
  delete env[VARIABLE]
  if (teamUrl !== undefined) env[VARIABLE] = teamUrl
  const running = run(process.execPath, [LARDER_BIN, 'agent', '--data-dir', world.dataDir, '--passphrase-file', world.passphraseFile], { env })
  const agent: AgentProcess = {
    ...running,
    pid: running.child.pid as number,
    async stop() {
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGTERM')
      const end = await running.done
      outputs.push(end.stdout, end.stderr)
      return end
    }
  }
  agents.push(agent)
  return agent
}

/** `larder ARGS` in a pseudo-terminal (`script`), answering `reply` to the y/N question once it shows. */
function inTerminal(world: TerminalWorld, args: readonly string[], reply: string): Promise<OnTerminal> {
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env[VARIABLE]
  return larderOnTerminal(world, args, { prompt: '[y/N] ', answers: [reply] }, { env })
}

async function ready(agent: AgentProcess): Promise<void> {
  await agent.waitFor('Larder agent ready')
}

interface TeamJson {
  readonly membership: string
  readonly code: string | null
  readonly name: string | null
  readonly database: string | null
  readonly members: readonly { readonly name: string; readonly you: boolean }[]
  readonly link: { readonly state: string; readonly since: number | null; readonly reason: string | null }
}

async function teamStatus(world: TerminalWorld): Promise<TeamJson> {
  const end = await cli(world, ['team', 'status', '--json'])
  expect(end.code, end.stderr).toBe(EXIT_CODES.ok)
  return JSON.parse(end.stdout) as TeamJson
}

describe.skipIf(binaries.bin === null && !binaries.required)('larder team', { timeout: 180_000 }, () => {
  const server = pgServerForSuite(binaries)
  let ana: TerminalWorld
  let bo: TerminalWorld
  let oldUrl: string
  let newUrl: string

  beforeAll(async () => {
    ana = await startWorld({ libraries: [{ name: 'Bistro Noord' }] })
    bo = await startWorld({ libraries: [], cli: ana.cli })
    // The team database's own owner, whose password the DBA rotates below (the suite's superuser is left alone).
    await server().query(`CREATE ROLE teamowner LOGIN PASSWORD '${OLD_PASSWORD}'`)
    await server().query('CREATE DATABASE teamcli OWNER teamowner')
    const url = new URL(databaseUrl(server(), 'teamcli'))
    url.username = 'teamowner'
    url.password = OLD_PASSWORD
    oldUrl = url.toString()
    url.password = NEW_PASSWORD
    newUrl = url.toString()
  }, 120_000)

  afterAll(async () => {
    for (const agent of agents) await agent.stop().catch(() => undefined)
    killStragglers()
    await ana?.close()
    await bo?.close()
  })

  it('is made by one agent and joined by another, by the code the joining terminal prints', async () => {
    const anaAgent = agentOn(ana)
    const boAgent = agentOn(bo)
    await Promise.all([ready(anaAgent), ready(boAgent)])
    expect(await teamStatus(ana)).toMatchObject({ membership: 'none', name: null, database: null, members: [] })

    const made = await cli(ana, ['team', 'create', '--name', 'Ana build server'], { [VARIABLE]: oldUrl })
    expect(made.code, made.stderr).toBe(EXIT_CODES.ok)
    expect(made.stderr).toContain('Made a team on postgresql://teamowner:***@127.0.0.1:')

    const asked = await cli(bo, ['team', 'join', '--name', 'Bo at home'], { [VARIABLE]: oldUrl })
    expect(asked.code, asked.stderr).toBe(EXIT_CODES.ok)
    // The code alone on stdout; what to do with it, and how to see the approval, on stderr.
    expect(asked.stdout).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}\n$/)
    expect(asked.stderr).toContain('larder team status')
    const code = asked.stdout.trim()
    expect(await teamStatus(bo)).toMatchObject({ membership: 'joining', code, name: 'Bo at home', members: [] })
    const waiting = await cli(bo, ['team', 'status'])
    expect(waiting.stdout).toMatch(/Membership: +joining/)
    expect(waiting.stdout).toContain(`Code: `)
    expect(waiting.stdout).toContain(code)

    const approved = await cli(ana, ['team', 'approve', code])
    expect(approved.code, approved.stderr).toBe(EXIT_CODES.ok)
    expect(approved.stderr).toContain('Let Bo at home into the team')

    // Bo's agent finds the approval by itself and opens again as a team vault.
    await vi.waitFor(async () => expect((await teamStatus(bo)).membership).toBe('member'), { timeout: 40_000, interval: 500 })
    for (const world of [ana, bo]) {
      await vi.waitFor(async () => expect((await teamStatus(world)).link.state).toBe('online'), { timeout: 20_000, interval: 500 })
      const shown = await teamStatus(world)
      expect(shown.members.map((member) => member.name).sort()).toEqual(['Ana build server', 'Bo at home'])
      expect(shown.database).toMatch(/^postgresql:\/\/teamowner:\*\*\*@127\.0\.0\.1:\d+\/teamcli$/)
      const text = await cli(world, ['team', 'status'])
      expect(text.stdout).toMatch(/Membership: +member/)
      expect(text.stdout).toContain('Members (2):')
      expect(text.stdout).toMatch(/Link: +online since \d{4}-/)
      expect(text.stdout).toContain(world === ana ? 'Ana build server  (this machine)' : 'Bo at home        (this machine)')
    }
    // What Ana held before making the team reaches Bo's headless Larder.
    await vi.waitFor(async () => expect((await cli(bo, ['ls'])).stdout).toContain('Bistro Noord'), { timeout: 20_000, interval: 500 })
    // Online: `larder status` has no offline line.
    const status = await cli(bo, ['status'])
    expect(status.code).toBe(EXIT_CODES.ok)
    expect(status.stdout).not.toContain('Offline from the team')
    expect(JSON.parse((await cli(bo, ['status', '--json'])).stdout)).toMatchObject({ team: { membership: 'member', link: { state: 'online' } } })
  })

  it('refuses a URL on the command line without repeating it, and names the variable when it is missing', async () => {
    for (const args of [
      ['team', 'join', '--name', 'Cy', oldUrl],
      ['team', 'create', `--name=${oldUrl}`],
      ['team', 'status', '--database-url', oldUrl]
    ]) {
      const end = await cli(bo, args)
      expect(end.code, args.join(' ')).toBe(EXIT_CODES.usage)
      expect(end.stdout).toBe('')
      expect(end.stderr).toMatch(/^larder: larder team takes no database URL on its command line/)
      expect(end.stderr).toContain(VARIABLE)
      expect(end.stderr).not.toContain('teamowner')
    }
    const missing = await cli(bo, ['team', 'join', '--name', 'Cy'])
    expect(missing.code).toBe(EXIT_CODES.usage)
    expect(missing.stderr).toMatch(new RegExp(`^larder: larder team join reads the team database's URL from ${VARIABLE} .*which is not set`))
    const noName = await cli(bo, ['team', 'create'], { [VARIABLE]: oldUrl })
    expect(noName.code).toBe(EXIT_CODES.usage)
    expect(noName.stderr).toContain('needs --name NAME')
  })

  it('says when the database is out of reach or refuses the password (exit 7), and changes nothing', async () => {
    const cy = await startWorld({ libraries: [], cli: ana.cli })
    try {
      const agent = agentOn(cy)
      await ready(agent)
      const wrong = new URL(oldUrl)
      wrong.password = WRONG_PASSWORD
      const refused = await cli(cy, ['team', 'join', '--name', 'Cy'], { [VARIABLE]: wrong.toString() })
      expect(refused.code, refused.stderr).toBe(EXIT_CODES.apiFailure)
      expect(refused.stderr).toMatch(/^larder: The team database could not be reached, or refused this machine: password authentication failed .*LARDER_TEAM_DATABASE_URL/)
      const away = new URL(oldUrl)
      away.port = '1'
      const unreachable = await cli(cy, ['team', 'create', '--name', 'Cy'], { [VARIABLE]: away.toString() })
      expect(unreachable.code, unreachable.stderr).toBe(EXIT_CODES.apiFailure)
      expect(unreachable.stderr).toMatch(/^larder: The team database could not be reached, or refused this machine: .*ECONNREFUSED/)
      expect(await teamStatus(cy)).toMatchObject({ membership: 'none', database: null })
      await agent.stop()
      outputs.push(agentLog(cy.dataDir))
    } finally {
      await cy.close()
    }
  })

  it('asks before leaving or taking the team home: without a terminal and without --yes it refuses, naming --yes', async () => {
    for (const sub of ['leave', 'take-home']) {
      const end = await cli(bo, ['team', sub])
      expect(end.code, sub).toBe(EXIT_CODES.usage)
      expect(end.stderr).toMatch(new RegExp(`^larder: larder team ${sub} asks for confirmation on a terminal; without one, add --yes`))
    }
    // Nothing changed: still a member.
    expect((await teamStatus(bo)).membership).toBe('member')
  })

  it('with the password rotated: offline on the saved URL (said by larder status), online on LARDER_TEAM_DATABASE_URL', async () => {
    await server().query(`ALTER ROLE teamowner PASSWORD '${NEW_PASSWORD}'`)
    for (const agent of agents.splice(0)) await agent.stop()

    // On the saved URL the old password is refused: offline, and `larder status` says since when and why on one line.
    const saved = agentOn(bo)
    await ready(saved)
    await vi.waitFor(async () => expect((await teamStatus(bo)).link.state).toBe('offline'), { timeout: 20_000, interval: 500 })
    const status = await cli(bo, ['status'])
    expect(status.code).toBe(EXIT_CODES.ok)
    const line = status.stdout.split('\n').find((l) => l.startsWith('Offline from the team'))
    expect(line).toMatch(/^Offline from the team since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z: .*password authentication failed/)
    expect(JSON.parse((await cli(bo, ['status', '--json'])).stdout)).toMatchObject({ team: { membership: 'member', link: { state: 'offline' } } })
    await saved.stop()

    // With the new URL in the agent's environment: online, the same team.
    const overridden = agentOn(bo, newUrl)
    await ready(overridden)
    await overridden.waitFor('from LARDER_TEAM_DATABASE_URL')
    await vi.waitFor(async () => expect((await teamStatus(bo)).link.state).toBe('online'), { timeout: 20_000, interval: 500 })
    expect((await teamStatus(bo)).members).toHaveLength(2)
    expect((await cli(bo, ['status'])).stdout).not.toContain('Offline from the team')
    // The team calls reach the database there too: an approval is checked by it (no such code), not refused at the door.
    const approve = await cli(bo, ['team', 'approve', 'ABCDE-FGHJK'])
    outputs.push(approve.stdout, approve.stderr)
    expect(approve.stderr).toContain('No request to join matches this code')
    await overridden.stop()
  })

  it('stops the agent on a URL reaching no team of its own, and on one the TLS rule refuses', async () => {
    for (const agent of agents.splice(0)) await agent.stop()
    await server().query('CREATE DATABASE notateam OWNER teamowner')
    const other = new URL(newUrl)
    other.pathname = '/notateam'
    const elsewhere = await agentOn(bo, other.toString()).done
    outputs.push(elsewhere.stdout, elsewhere.stderr)
    expect(elsewhere.code).toBe(EXIT_CODES.locked)
    expect(elsewhere.stderr).toMatch(/^larder: .*LARDER_TEAM_DATABASE_URL \(postgresql:\/\/teamowner:\*\*\*@127\.0\.0\.1:\d+\/notateam\) reaches a database that holds no team/)

    const plain = `postgresql://teamowner:${NEW_PASSWORD}@db.example.com:5432/teamcli?sslmode=disable`
    const refused = await agentOn(bo, plain).done
    outputs.push(refused.stdout, refused.stderr)
    expect(refused.code).toBe(EXIT_CODES.usage)
    expect(refused.stderr).toMatch(/^larder: LARDER_TEAM_DATABASE_URL is refused: .*sslmode=disable would not check the server's certificate/)
  })

  it('asks on a terminal before taking the team home (no: nothing changes); leave --yes leaves, the vault local again', async () => {
    const online = agentOn(bo, newUrl)
    await ready(online)
    await vi.waitFor(async () => expect((await teamStatus(bo)).link.state).toBe('online'), { timeout: 20_000, interval: 500 })
    const declined = await inTerminal(bo, ['team', 'take-home'], 'n')
    outputs.push(declined.screen)
    expect(declined.screen).toContain('The team ends: every team credential comes into this machine')
    expect(declined.screen).toContain('End the team and take its credentials home? [y/N] ')
    expect(declined.screen).toContain('larder: Not confirmed; nothing was changed.')
    expect(declined.code).toBe(EXIT_CODES.usage)
    expect(await teamStatus(bo)).toMatchObject({ membership: 'member' })

    const left = await cli(bo, ['team', 'leave', '--yes'])
    expect(left.code, left.stderr).toBe(EXIT_CODES.ok)
    expect(left.stderr).toContain('This machine left the team')
    expect(await teamStatus(bo)).toMatchObject({ membership: 'none', database: null, members: [] })
    await online.stop()
  })

  it('never shows a database password: in no output, answer or agent log', () => {
    expect(outputs.length).toBeGreaterThan(40)
    const everything = [...outputs, agentLog(ana.dataDir), agentLog(bo.dataDir)].join('\n')
    expect(everything).toContain('teamowner:***@')
    for (const password of [OLD_PASSWORD, NEW_PASSWORD, WRONG_PASSWORD, new URL(server().url()).password]) expect(everything).not.toContain(password)
    // Nor in the data folders' files beside the vault (the team file holds the URL sealed).
    for (const world of [ana, bo]) {
      for (const name of fs.readdirSync(world.dataDir)) {
        const file = path.join(world.dataDir, name)
        if (fs.statSync(file).isFile()) for (const password of [OLD_PASSWORD, NEW_PASSWORD]) expect(fs.readFileSync(file, 'utf8'), name).not.toContain(password)
      }
    }
  })
})
