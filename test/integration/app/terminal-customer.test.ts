// The customer label at the terminal: `larder ls` has a CUSTOMER column for libraries and keys alike (its --json rows
// say `customer`, null for none), and `larder status` names a library's customer as it names a key's. Through the real
// app's terminal handlers, then the command's own printing of their answers.
import { describe, expect, it } from 'vitest'
import type { ClientFacts, TerminalResult } from '../../../src/shared/terminal-words.ts'
import { listLibraries, showStatus, type Caller } from '../../../src/main/cli/commands.ts'
import type { TerminalRow, TerminalStatus } from '../../../src/shared/contract.ts'
import { keysWorlds } from '../../support/keys-world.ts'
import type { LarderHarness } from '../../support/larder-harness.ts'

const FACTS: ClientFacts = { pid: 4242, ppid: 4100, session: 'linux:sid=4100;tty=34816;start=123', tty: 'pts/3', cwd: '/home/pat', command: 'ls' }
const startWorld = keysWorlds()

function value<T>(result: TerminalResult): T {
  if (!result.ok) throw new Error(`refused: ${result.error.kind}: ${result.error.message}`)
  return result.value as T
}

async function world(): Promise<LarderHarness> {
  const { h, fakes } = await startWorld()
  h.app.events.on('terminal.requested', (request) => h.app.terminal.access.approve(request.requestId))
  const org = fakes.safetyCulture.addOrganisation({ name: 'Grill Haven Group' })
  const user = fakes.safetyCulture.addUser({ organisationId: org.id, firstname: 'Pat', lastname: 'Jansen' })
  await h.core.keys.add({
    system: 'safetyculture',
    name: 'Grill Haven inspections',
    customer: 'Grill Haven',
    token: fakes.safetyCulture.issueUserToken(user.id).value,
    details: { kind: 'user', organisation: 'Grill Haven Group', owner: 'Pat Jansen', apiBaseUrl: fakes.safetyCulture.url }
  })
  for (const [name, customer] of [['Grill Haven Centrum', 'Grill Haven'], ['Bistro Nord', undefined]] as const) {
    const { tokenType, clientId, clientSecret, accessToken, refreshToken } = h.sandbox.addLibraryWithApplication({ name })
    await h.actions.add({ tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: h.sandbox.url, ...(customer === undefined ? {} : { customer }) })
  }
  return h
}

describe('the customer label at the terminal', () => {
  it('ls rows say each entry’s customer, a library’s as a key’s', async () => {
    const h = await world()
    const rows = value<{ libraries: TerminalRow[] }>(await h.app.terminal.handlers.ls({}, FACTS, () => undefined)).libraries
    expect(rows.map((row) => [row.name, row.provider, row.customer])).toEqual([
      ['Bistro Nord', 'apicbase', null],
      ['Grill Haven Centrum', 'apicbase', 'Grill Haven'],
      ['Grill Haven inspections', 'safetyculture', 'Grill Haven']
    ])
  })

  it('larder ls prints a CUSTOMER column; larder status names a library’s customer', async () => {
    const h = await world()
    let out = ''
    const io = { out: (chunk: string) => void (out += chunk), err: () => undefined }
    const caller = (async (name: 'ls' | 'status', input: Readonly<Record<string, unknown>>) => ({
      holder: { pid: 1, version: 'test', host: 'agent', vault: 'v' },
      value: value(await h.app.terminal.handlers[name](input, FACTS, () => undefined))
    })) as unknown as Caller
    await listLibraries(caller, io, false)
    const [header, ...lines] = out.trimEnd().split('\n')
    expect(header).toMatch(/^NAME\s+STATUS\s+TIME LEFT\s+TYPE\s+PROVIDER\s+CUSTOMER\s+LIBRARY ID\s+LARDER ID$/)
    expect(lines.find((line) => line.startsWith('Grill Haven Centrum'))).toMatch(/Apicbase\s+Grill Haven\s+\d+\s/)
    expect(lines.find((line) => line.startsWith('Grill Haven inspections'))).toMatch(/SafetyCulture\s+Grill Haven\s+–\s/)
    expect(lines.find((line) => line.startsWith('Bistro Nord'))).toMatch(/Apicbase\s+–\s+\d+\s/)

    out = ''
    await showStatus(caller, io, 'Grill Haven Centrum', false)
    expect(out).toMatch(/Library:\s+Grill Haven Centrum \(Grill Haven, Apicbase library \d+, Larder id /)
    out = ''
    await showStatus(caller, io, 'Bistro Nord', false)
    expect(out).toMatch(/Library:\s+Bistro Nord \(Apicbase library \d+, Larder id /)
    const status = value<TerminalStatus>(await h.app.terminal.handlers.status({ library: 'Grill Haven Centrum' }, FACTS, () => undefined))
    expect(status.customer).toBe('Grill Haven')
  })
})
