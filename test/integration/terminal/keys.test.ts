// Keys of other systems handed to scripts by real `larder` processes (the built client) from a real `larder agent`,
// checked against the loopback fakes: listed with their system, a token on stdout as its system carries it, `exec`
// with the system's variables (never in larder's own environment), and a key its admin revoked refused with exit 5.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProviderSandbox, type ProviderSandbox } from '../../../src/main/sandbox/providers/index.ts'
import { EXIT_CODES } from '../../../src/shared/terminal-words.ts'
import { agentLog, auditEntries, killStragglers, larder, startAgent, startWorld, type AgentProcess, type TerminalWorld } from '../../support/terminal-harness.ts'

let fakes: ProviderSandbox
let world: TerminalWorld
let agent: AgentProcess
const tokens = { safetyCulture: '', service: '', revoked: '' }

beforeAll(async () => {
  fakes = await startProviderSandbox()
  world = await startWorld({
    libraries: [{ name: 'Brasserie Nord' }],
    async fill({ core }) {
      const org = fakes.safetyCulture.addOrganisation({ name: 'Grill Haven Group' })
      const user = fakes.safetyCulture.addUser({ organisationId: org.id, firstname: 'Pat', lastname: 'Jansen' })
      tokens.safetyCulture = fakes.safetyCulture.issueUserToken(user.id).value
      await core.keys.add({
        system: 'safetyculture',
        name: 'Grill Haven inspections',
        customer: 'Grill Haven',
        token: tokens.safetyCulture,
        details: { kind: 'user', organisation: 'Grill Haven Group', owner: 'Pat Jansen', apiBaseUrl: fakes.safetyCulture.url }
      })
      const robot = fakes.checkUrl.createServiceUser({ name: 'svc-sync' })
      const prod = fakes.checkUrl.createToken({ serviceUserId: robot.id, name: 'prod', carrier: { kind: 'header', name: 'X-Service-Token' } })
      tokens.service = prod.value
      await core.keys.add({
        system: 'service_token',
        name: 'Platform sync',
        token: prod.value,
        details: { serviceUser: 'svc-sync', environment: 'production', expiresAt: null, carry: { kind: 'header', name: 'X-Service-Token' }, checkUrl: prod.checkUrl, envName: 'PLATFORM_TOKEN' }
      })
      const stage = fakes.checkUrl.createToken({ serviceUserId: robot.id, name: 'staging' })
      tokens.revoked = stage.value
      const staging = await core.keys.add({ system: 'service_token', name: 'Platform staging', token: stage.value, details: { serviceUser: 'svc-sync', environment: 'staging', expiresAt: null } })
      await core.keys.recordLifecycle(staging.id, 'revoked')
    }
  })
  agent = await startAgent(world)
}, 60_000)

afterAll(async () => {
  await agent?.stop()
  killStragglers()
  await world?.close()
  await fakes?.close()
})

const sha = (text: string): string => createHash('sha256').update(text).digest('hex')

describe('larder with keys of other systems', () => {
  it('ls lists them beside the libraries, with their system; status says who a key acts as', async () => {
    const listed = await larder(world, ['ls']).done
    expect(listed.code).toBe(0)
    expect(listed.stdout).toMatch(/Grill Haven inspections\s+Healthy\s+29 d 23 h\s+–\s+SafetyCulture/)
    expect(listed.stdout).toMatch(/Platform staging\s+Revoked\s+–\s+–\s+Service token/)
    expect(listed.stdout).toMatch(/Brasserie Nord\s+Healthy\s+.*service account\s+Apicbase/)
    const status = await larder(world, ['status', 'grill']).done
    expect(status.code).toBe(0)
    expect(status.stdout).toMatch(/Key:\s+Grill Haven inspections \(SafetyCulture, Grill Haven, Larder id /)
    expect(status.stdout).toMatch(/Acts as:\s+Pat Jansen, organisation /)
  })

  it('token: exactly the token on stdout; the header as the admin named it', async () => {
    const raw = await larder(world, ['token', 'Grill Haven inspections']).done
    expect(raw).toMatchObject({ code: 0, stdout: `${tokens.safetyCulture}\n`, stderr: '' })
    const header = await larder(world, ['token', 'Platform sync', '--format', 'header']).done
    expect(header.stdout).toBe(`X-Service-Token: ${tokens.service}\n`)
  })

  it("exec: the system's variables in the child only; exit status passed through", async () => {
    const script = 'printf %s "$SAFETYCULTURE_API_TOKEN" | sha256sum | cut -c1-64; printf %s "$SAFETYCULTURE_API_URL"; exit 7'
    const ran = await larder(world, ['exec', '--library', 'grill', '--', 'sh', '-c', script]).done
    expect(ran.code).toBe(7)
    expect(ran.stdout).toBe(`${sha(tokens.safetyCulture)}\n${fakes.safetyCulture.url}`)
  })

  it('a key its admin revoked: exit 5, saying so; audited as refused; no token in any log', async () => {
    const refused = await larder(world, ['token', 'Platform staging']).done
    expect(refused.code).toBe(EXIT_CODES.needsReauth)
    expect(refused.stdout).toBe('')
    expect(refused.stderr).toMatch(/^larder: Platform staging is revoked: Larder does not hand out a key that no longer works/)
    const handed = auditEntries(world.dataDir).filter((entry) => entry.action === 'handed_out')
    expect(handed.some((entry) => entry.outcome === 'error' && entry.detail?.startsWith('larder token --format raw; session'))).toBe(true)
    const everything = JSON.stringify(auditEntries(world.dataDir)) + agentLog(world.dataDir)
    for (const token of Object.values(tokens)) expect(everything).not.toContain(token)
  })
})
