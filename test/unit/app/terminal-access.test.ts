// TerminalAccess on its own, on a ManualClock: the 'allow' policy (the agent without a window), the host's prompt port
// (asked once per request, told when it is settled), and closing (every waiting call refused, every grant forgotten).
import { describe, expect, it } from 'vitest'
import { TerminalAccess, type TerminalPolicy } from '../../../src/main/app/terminal/terminal-access.ts'
import type { AuditInput } from '../../../src/main/core/audit/index.ts'
import type { TerminalRequestView, TerminalSessionsView } from '../../../src/shared/contract.ts'
import type { ClientFacts } from '../../../src/shared/terminal-words.ts'
import { ManualClock } from '../../support/manual-clock.ts'

const FACTS: ClientFacts = { pid: 7, ppid: 6, session: 'linux:sid=6;tty=1;start=2', tty: null, cwd: '/srv/job', command: 'token' }

function access(policy: TerminalPolicy) {
  const clock = new ManualClock()
  const audit: AuditInput[] = []
  const asked: TerminalRequestView[] = []
  const settled: string[] = []
  const sessions: TerminalSessionsView[] = []
  const terminal = new TerminalAccess({
    clock,
    policy,
    prompt: { ask: (request) => asked.push(request), settled: (id) => settled.push(id) },
    emit: { requested: () => undefined, sessions: (view) => sessions.push(view) },
    audit: () => ({ append: async (entry) => void audit.push(entry) })
  })
  return { clock, terminal, audit, asked, settled, sessions }
}

describe('TerminalAccess', () => {
  it("policy 'allow' lets a new session through without asking, once audited", async () => {
    const { terminal, audit, asked } = access('allow')
    const grants = await Promise.all(Array.from({ length: 20 }, () => terminal.admit(FACTS, () => expect.unreachable('no wait'))))
    expect(new Set(grants.map((grant) => grant.sessionId)).size).toBe(1)
    expect(grants[0]?.label).toBe('no terminal, shell pid 6')
    expect(asked).toEqual([])
    expect(audit).toEqual([{ action: 'session_allowed', libraryId: null, libraryName: null, outcome: 'ok', detail: 'session no terminal, shell pid 6; every terminal session is allowed (policy)' }])
  })

  it("policy 'ask' shows the host's prompt once per request and tells it when the request is settled", async () => {
    const { terminal, asked, settled } = access('ask')
    const waiting = [terminal.admit(FACTS, () => undefined, 'Acme'), terminal.admit(FACTS, () => undefined, 'Other')]
    expect(asked).toHaveLength(1)
    expect(asked[0]).toMatchObject({ library: 'Acme', command: 'token', pid: 7, tty: null, cwd: '/srv/job' })
    terminal.approve(asked[0]?.requestId ?? '', 60_000)
    expect(settled).toEqual([asked[0]?.requestId])
    const grants = await Promise.all(waiting)
    expect(grants[0]).toEqual(grants[1])
    expect(terminal.list().sessions[0]).toMatchObject({ idleMs: 60_000 })
  })

  it('closing refuses every waiting call and forgets every grant', async () => {
    const { terminal, asked, settled, clock } = access('ask')
    const waiting = terminal.admit(FACTS, () => undefined)
    const other = terminal.admit({ ...FACTS, session: 'another' }, () => undefined)
    terminal.approve(asked[1]?.requestId ?? '')
    await other
    terminal.close()
    await expect(waiting).rejects.toMatchObject({ name: 'NotApprovedError', message: expect.stringMatching(/closing/) })
    expect(settled).toHaveLength(2)
    expect(terminal.list()).toEqual({ sessions: [], pending: [] })
    expect(clock.pendingTimers).toBe(0)
  })
})
