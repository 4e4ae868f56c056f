// The terminal's table (what `larder` reaches over the local endpoint), fed malformed arguments like the bridge's
// handlers are (handlers-fuzz.test.ts), against a real app (sandbox, temp vault) whose every terminal session is
// allowed. Each call must answer invalid_input naming the call and the field (never throw, never 'internal'), and
// nothing may change: no token handed out (no audit entry, no request at the sandbox), not the vault's bytes.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { terminalCalls } from '../../../src/shared/contract.ts'
import { TERMINAL_CALLS, type ClientFacts, type TerminalCallName } from '../../../src/shared/terminal-words.ts'
import { assembleCore, type AssembledCore } from '../../browser-host/assemble.ts'
import { startSandbox, type Sandbox } from '../../sandbox/index.ts'
import { FAST_SCRYPT } from '../../support/core-harness.ts'
import { extraKeyCases, fieldCases, fieldsOf, fuzzTableFrom, missingFieldCases, nonPlainCases, topLevelCases, echoCases, type Case } from './fuzz-cases.ts'

const MAX_MESSAGE_LENGTH = 1000
const FACTS: ClientFacts = { pid: 4242, ppid: 4100, session: 'linux:sid=4100;tty=34816;start=123', tty: 'pts/3', cwd: '/home/pat', command: 'token' }

let sandbox: Sandbox
let assembled: AssembledCore
let dataDir: string
let casesRun = 0
let before: { vault: Buffer; hits: number; audit: string }

const validInputs = (): Record<TerminalCallName, object> => ({
  ls: {},
  lock: {},
  forget: {},
  status: { library: 'Brasserie' },
  token: { library: 'Brasserie', format: 'raw' },
  env: { libraries: [{ library: 'Brasserie', prefix: 'NORD' }], command: 'node' },
  import: { path: '/nowhere/import.csv', dryRun: true, confirmedHosts: ['h'], format: 'csv', importId: '0b6f6a52-58c1-4e43-9d3f-6d1c1a7f5a10' },
  'import-cancel': { importId: '0b6f6a52-58c1-4e43-9d3f-6d1c1a7f5a10' },
  refresh: { library: 'Brasserie' },
  backup: { path: '/nowhere/larder.age', passphrase: 'a long enough passphrase' },
  restore: { path: '/nowhere/larder.age', passphrase: 'a long enough passphrase', dryRun: true, takeOver: false, confirmedHosts: ['partner-proxy.example'] },
  'export-config': { path: '/nowhere/config.json' },
  'team-status': {},
  'team-create': { databaseUrl: 'postgresql://larder:pw@127.0.0.1:1/team', caPem: 'PEM', schema: 'larder', name: 'Ana' },
  'team-join': { databaseUrl: 'postgresql://larder:pw@127.0.0.1:1/team', caPem: 'PEM', schema: 'larder', name: 'Ana' },
  'team-approve': { code: 'ABCDE-FGHJK' },
  'team-leave': {},
  'team-take-home': {}
})
fuzzTableFrom(terminalCalls, validInputs)

async function auditText(): Promise<string> {
  return JSON.stringify((await assembled.core.audit.page({ limit: 500 })).entries)
}

beforeAll(async () => {
  sandbox = await startSandbox()
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-terminal-fuzz-'))
  assembled = await assembleCore({ dataDir, sandboxUrl: sandbox.url, scryptCost: FAST_SCRYPT })
  assembled.app.events.on('terminal.requested', (request) => assembled.app.terminal.access.approve(request.requestId))
  const fixture = sandbox.fixtures.libraries[0]
  if (!fixture) throw new Error('no fixture')
  const { tokenType, clientId, clientSecret, accessToken, refreshToken } = fixture
  await assembled.actions.add({ tokenType, name: 'Brasserie', clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: sandbox.url })
  // The session is allowed before the snapshot (its audit entry is not the fuzz's doing).
  expect((await assembled.app.terminal.handlers.ls({}, FACTS, () => undefined)).ok).toBe(true)
  await assembled.core.vault.flush()
  before = { vault: fs.readFileSync(path.join(dataDir, 'vault.json')), hits: sandbox.counters.hits.length, audit: await auditText() }
})

afterAll(async () => {
  await assembled?.close()
  await sandbox?.close()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

async function run(name: TerminalCallName, cases: readonly Case[]): Promise<string[]> {
  const handler = assembled.app.terminal.handlers[name]
  const problems: string[] = []
  casesRun += cases.length
  for (const c of cases) {
    let answer: unknown
    try {
      answer = await handler(c.input, FACTS, () => undefined)
    } catch (error) {
      problems.push(`${c.label}: threw ${error instanceof Error ? error.name : typeof error}`)
      continue
    }
    const result = answer as { ok?: unknown; error?: { kind?: unknown; message?: unknown; field?: unknown } }
    const error = result.error
    if (result.ok !== false || !error) {
      problems.push(`${c.label}: answered ${JSON.stringify(answer)?.slice(0, 200)}`)
      continue
    }
    const message = typeof error.message === 'string' ? error.message : ''
    if (error.kind !== 'invalid_input') problems.push(`${c.label}: kind ${String(error.kind)} (${message.slice(0, 120)})`)
    if (error.field !== c.field) problems.push(`${c.label}: field ${String(error.field)}, expected ${c.field}`)
    if (!message.startsWith(`${name}: ${c.field}: `)) problems.push(`${c.label}: message does not name call and field: ${message.slice(0, 120)}`)
    if (c.mentions !== undefined && !message.includes(c.mentions)) problems.push(`${c.label}: message does not mention ${c.mentions}`)
    if (!c.longMessage && message.length > MAX_MESSAGE_LENGTH) problems.push(`${c.label}: message is ${message.length} characters long`)
  }
  return problems
}

describe('the terminal table', () => {
  it('has exactly the terminal calls, and the fuzz inputs are valid before they are broken', () => {
    expect(Object.keys(assembled.app.terminal.handlers).sort()).toEqual([...TERMINAL_CALLS].sort())
    for (const name of TERMINAL_CALLS) {
      expect(terminalCalls[name].input.safeParse(validInputs()[name]).error?.issues ?? [], name).toEqual([])
      expect(Object.keys(validInputs()[name]).sort(), name).toEqual(Object.keys(terminalCalls[name].input.shape).sort())
    }
  })

  it('refuses client facts it cannot read, before anything runs', async () => {
    const bad = { ...FACTS, session: 'x'.repeat(1024 * 1024) }
    expect(await assembled.app.terminal.handlers.ls({}, bad, () => undefined)).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'client' } })
  })
})

describe.each([...TERMINAL_CALLS])('%s with malformed input', (name) => {
  const schema = terminalCalls[name].input
  it('refuses anything that is not a plain object', async () => {
    expect(await run(name, topLevelCases(name))).toEqual([])
  })
  if (Object.keys(schema.shape).length > 0) it('refuses a wrong value in each field', async () => {
    const cases = fieldCases(name)
    expect(cases.length).toBeGreaterThan(10)
    expect(await run(name, cases)).toEqual([])
  })
  if (fieldsOf(schema).some((f) => !f.optional)) it('refuses each required field left out', async () => {
    expect(await run(name, missingFieldCases(name))).toEqual([])
  })
  it('refuses extra keys, including own __proto__ / constructor / prototype keys', async () => {
    expect(await run(name, extraKeyCases(name))).toEqual([])
  })
  it('refuses objects that are not plain (Date, Map, class instances…) as a whole', async () => {
    expect(await run(name, nonPlainCases(name))).toEqual([])
  })
  it('echoes no huge key back', async () => {
    expect(await run(name, echoCases(name))).toEqual([])
  })
})

describe('after the fuzz', () => {
  it('nothing was handed out and nothing changed', async () => {
    expect(casesRun).toBeGreaterThan(250)
    await assembled.core.vault.flush()
    expect(sandbox.counters.hits.length).toBe(before.hits)
    expect(await auditText()).toBe(before.audit)
    expect(fs.readFileSync(path.join(dataDir, 'vault.json')).equals(before.vault)).toBe(true)
  })
})
