// Terminal sessions through the real app (sandbox, passphrase vault, ManualClock): a new session asks the person once
// however many calls wait, an answer lets them all through or refuses them all, and an allowed session ends when idle
// (10 min), at 12 h whatever its use, or when revoked; the window's bridge calls and events carry it all.
import { afterEach, describe, expect, it } from 'vitest'
import type { TerminalRequestView } from '../../../src/shared/contract.ts'
import type { ClientFacts, TerminalResult } from '../../../src/shared/terminal-words.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

let h: LarderHarness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

function client(session = 'linux:sid=4100;tty=34816;start=123', pid = 4242): ClientFacts {
  return { pid, ppid: 4100, session, tty: 'pts/3', cwd: '/home/pat/scripts', command: 'ls' }
}

async function started(): Promise<{ h: LarderHarness; requests: TerminalRequestView[] }> {
  h = await startLarder()
  const requests: TerminalRequestView[] = []
  h.app.events.on('terminal.requested', (request) => requests.push(request))
  return { h, requests }
}

/** A terminal call as the endpoint makes it; `waits` counts the "waiting for approval" lines it was sent. */
function ls(harness: LarderHarness, facts: ClientFacts = client()): { answer: Promise<TerminalResult>; waits: () => number } {
  let waits = 0
  const answer = harness.app.terminal.handlers.ls({}, facts, () => waits++)
  return { answer, waits: () => waits }
}

async function turns(count = 5): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve))
}

/** Lets one call through by approving the request it makes. */
async function allowSession(harness: LarderHarness, requests: TerminalRequestView[], facts: ClientFacts = client()): Promise<void> {
  const call = ls(harness, facts)
  await turns()
  const request = requests.at(-1)
  if (!request) throw new Error('no request')
  await harness.handlers['terminal.approve']({ requestId: request.requestId })
  expect(await call.answer).toMatchObject({ ok: true })
}

describe('terminal approval', () => {
  it('50 concurrent calls from one session make one request; approving lets every one through', async () => {
    const { h, requests } = await started()
    const calls = Array.from({ length: 50 }, () => ls(h))
    await turns()
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({ label: 'pts/3, shell pid 4100', command: 'ls', pid: 4242, tty: 'pts/3', cwd: '/home/pat/scripts' })
    expect(calls.every((call) => call.waits() === 1)).toBe(true)
    const listed = await h.handlers['terminal.sessions']({})
    expect(listed).toMatchObject({ ok: true, value: { sessions: [], pending: [{ requestId: requests[0]?.requestId }] } })

    const approved = await h.handlers['terminal.approve']({ requestId: requests[0]?.requestId ?? '' })
    expect(approved).toMatchObject({ ok: true, value: { label: 'pts/3, shell pid 4100', idleMs: 10 * MINUTE, hardEndAt: h.clock.now() + 12 * HOUR } })
    const answers = await Promise.all(calls.map((call) => call.answer))
    expect(answers.every((answer) => answer.ok)).toBe(true)
    // Allowed now: the next call neither asks nor waits.
    const next = ls(h)
    expect((await next.answer).ok).toBe(true)
    expect(next.waits()).toBe(0)
    expect(requests).toHaveLength(1)
    expect(h.events.of('terminal.sessions').at(-1)?.sessions).toHaveLength(1)
    await h.nextTurn()
    const allowed = (await h.core.audit.page({ limit: 10, action: 'session_allowed' })).entries
    expect(allowed).toHaveLength(1)
    expect(allowed[0]).toMatchObject({ outcome: 'ok', libraryId: null, detail: 'session pts/3, shell pid 4100; idle after 10 min' })
  })

  it('names the session by its parent process where the command says it ("bash on pts/3")', async () => {
    const { h, requests } = await started()
    const call = ls(h, { ...client(), parent: 'bash' })
    await turns()
    expect(requests[0]).toMatchObject({ label: 'bash on pts/3 (pid 4100)' })
    await h.handlers['terminal.deny']({ requestId: requests[0]?.requestId ?? '' })
    expect(await call.answer).toMatchObject({ ok: false, error: { kind: 'not_approved' } })
  })

  it('a second session makes a second request', async () => {
    const { h, requests } = await started()
    const first = ls(h)
    const second = ls(h, client('linux:sid=5100;tty=34817;start=456', 5252))
    const again = ls(h)
    await turns()
    expect(requests).toHaveLength(2)
    expect(requests.map((request) => request.pid)).toEqual([4242, 5252])
    for (const request of requests) await h.handlers['terminal.deny']({ requestId: request.requestId })
    for (const call of [first, second, again]) expect(await call.answer).toMatchObject({ ok: false, error: { kind: 'not_approved' } })
  })

  it('deny answers not_approved to every waiting call and audits the refusal; the next call asks again', async () => {
    const { h, requests } = await started()
    const calls = [ls(h), ls(h)]
    await turns()
    expect(await h.handlers['terminal.deny']({ requestId: requests[0]?.requestId ?? '' })).toEqual({ ok: true, value: { denied: true } })
    for (const call of calls) expect(await call.answer).toMatchObject({ ok: false, error: { kind: 'not_approved', message: expect.stringMatching(/refused in Larder/) } })
    expect(await h.handlers['terminal.deny']({ requestId: requests[0]?.requestId ?? '' })).toEqual({ ok: true, value: { denied: false } })
    const later = ls(h)
    await turns()
    expect(requests).toHaveLength(2)
    await h.handlers['terminal.deny']({ requestId: requests[1]?.requestId ?? '' })
    await later.answer
    await h.nextTurn()
    expect((await h.core.audit.page({ limit: 10, action: 'session_refused' })).entries).toHaveLength(2)
  })

  it('a request nobody answers within 2 minutes is refused', async () => {
    const { h } = await started()
    const call = ls(h)
    await turns()
    await h.clock.advance(119_000)
    let settled = false
    void call.answer.then(() => (settled = true))
    await turns()
    expect(settled).toBe(false)
    await h.clock.advance(1_000)
    expect(await call.answer).toMatchObject({ ok: false, error: { kind: 'not_approved', message: expect.stringMatching(/no answer within 120 s/) } })
    expect((await h.handlers['terminal.sessions']({})) as unknown).toMatchObject({ ok: true, value: { pending: [] } })
  })

  it('a session idle for 10 minutes is asked again; one used within them is not', async () => {
    const { h, requests } = await started()
    await allowSession(h, requests)
    await h.clock.advance(9 * MINUTE)
    const used = ls(h)
    expect((await used.answer).ok).toBe(true)
    expect(used.waits()).toBe(0)
    await h.clock.advance(9 * MINUTE) // 18 min since approval, 9 since last use
    expect(ls(h).waits()).toBe(0)
    await h.clock.advance(10 * MINUTE)
    expect(h.events.of('terminal.sessions').at(-1)?.sessions).toEqual([]) // the timer dropped it and said so
    const ended = (await h.core.audit.page({ limit: 10, action: 'session_ended' })).entries
    expect(ended).toHaveLength(1)
    expect(ended[0]).toMatchObject({ outcome: 'ok', libraryId: null, detail: 'session pts/3, shell pid 4100; unused for 10 min' })
    const asked = ls(h)
    await turns()
    expect(asked.waits()).toBe(1)
    expect(requests).toHaveLength(2)
  })

  it('an allowed session ends at 12 hours however busy it is', async () => {
    const { h, requests } = await started()
    await allowSession(h, requests)
    for (let elapsed = 0; elapsed < 12 * HOUR - 5 * MINUTE; elapsed += 5 * MINUTE) {
      await h.clock.advance(5 * MINUTE)
      const call = ls(h)
      expect((await call.answer).ok).toBe(true)
      expect(call.waits()).toBe(0)
    }
    await h.clock.advance(5 * MINUTE) // exactly 12 h since approval
    expect((await h.core.audit.page({ limit: 10, action: 'session_ended' })).entries.map((entry) => entry.detail)).toEqual(['session pts/3, shell pid 4100; 12 h after it was allowed'])
    const asked = ls(h)
    await turns()
    expect(asked.waits()).toBe(1)
    expect(requests).toHaveLength(2)
  })

  it('an approval asking for more idle time than 12 hours is refused at the edge', async () => {
    const { h } = await started()
    expect(await h.handlers['terminal.approve']({ requestId: 'r', idleMs: 12 * HOUR + 1 })).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'idleMs' } })
    expect(await h.handlers['terminal.approve']({ requestId: 'gone' })).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'requestId' } })
  })

  it('revoke makes the next call ask again, and is audited', async () => {
    const { h, requests } = await started()
    await allowSession(h, requests)
    const sessions = await h.handlers['terminal.sessions']({})
    const sessionId = sessions.ok ? sessions.value.sessions[0]?.sessionId : undefined
    expect(sessionId).toMatch(/^[0-9a-f]{32}$/)
    expect(await h.handlers['terminal.revoke']({ sessionId: sessionId ?? '' })).toEqual({ ok: true, value: { revoked: true } })
    expect(h.events.of('terminal.sessions').at(-1)?.sessions).toEqual([])
    const asked = ls(h)
    await turns()
    expect(asked.waits()).toBe(1)
    expect(requests).toHaveLength(2)
    await h.nextTurn()
    expect((await h.core.audit.page({ limit: 10, action: 'session_revoked' })).entries).toHaveLength(1)
  })

  it('a locked vault answers kind vault with its state, before anyone is asked', async () => {
    const { h, requests } = await started()
    await h.app.close()
    const call = ls(h)
    expect(await call.answer).toMatchObject({ ok: false, error: { kind: 'vault' } })
    expect(requests).toHaveLength(0)
  })
})
