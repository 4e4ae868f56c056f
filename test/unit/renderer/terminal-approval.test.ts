// @vitest-environment happy-dom
// Terminal approval in the window (issue 14, item 3): the dialog names what asked and answers through Larder; several
// requests come one after another; a request answered elsewhere or timed out closes; Settings lists the allowed
// sessions with Revoke, and explains what they are when there is none.
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_SESSION_IDLE_MS, MAX_SESSION_MS, type CallName, type CallResult, type TerminalRequestView, type TerminalSessionView } from '../../../src/shared/contract.ts'
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../../../src/renderer/src/features/terminal/session-times.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { component, page, render, settle, type Rendered } from './render.ts'

const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>
const MINUTE = 60_000
const HOUR = 60 * MINUTE

// One base for every request, so request n is always older than request n + 1 (two calls to Date.now() apart under
// load made the order of [request(2), request(1)] a coin toss).
const BASE = Date.now()

function request(n: number, overrides: Partial<TerminalRequestView> = {}): TerminalRequestView {
  const at = BASE - 1_000 + n
  return {
    requestId: `00000000-0000-4000-8000-00000000000${n}`,
    label: `pts/${n}, shell pid ${4100 + n}`,
    command: 'token',
    library: 'Brasserie Nord',
    pid: 5000 + n,
    ppid: 4100 + n,
    tty: `pts/${n}`,
    cwd: `/home/someone/project-${n}`,
    at,
    expiresAt: at + 2 * MINUTE,
    ...overrides
  }
}

function session(n: number, overrides: Partial<TerminalSessionView> = {}): TerminalSessionView {
  const approvedAt = Date.now() - 5 * MINUTE
  return {
    sessionId: `11111111-0000-4000-8000-00000000000${n}`,
    label: `pts/${n}, shell pid ${4100 + n}`,
    approvedAt,
    lastUsedAt: approvedAt + 2 * MINUTE,
    idleMs: 10 * MINUTE,
    hardEndAt: approvedAt + 12 * HOUR,
    endsAt: approvedAt + 12 * MINUTE + 30_000,
    ...overrides
  }
}

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

async function storeOver(bridge: FakeBridge): Promise<AppStore> {
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  return store
}

/** A bridge whose Larder holds these sessions and requests, and answers approve/deny/revoke as Larder does. */
function larder(sessions: TerminalSessionView[] = [], pending: TerminalRequestView[] = []): FakeBridge {
  const bridge = new FakeBridge()
  bridge.answers['terminal.sessions'] = () => ok({ sessions, pending })
  bridge.answers['terminal.approve'] = (input) => {
    const { requestId, idleMs } = input as { requestId: string; idleMs?: number }
    const n = Number(requestId.slice(-1))
    return ok(session(n, { label: request(n).label, idleMs: idleMs ?? 10 * MINUTE }))
  }
  bridge.answers['terminal.deny'] = () => ok({ denied: true })
  bridge.answers['terminal.revoke'] = () => ok({ revoked: true })
  return bridge
}

const dialogs = (view: Rendered): ReturnType<Rendered['all']> => view.all('dialog')

describe('the approval dialog', () => {
  it('names what asked (command, library, session, terminal, folder, pids), with Deny focused; Allow answers through Larder and closes', async () => {
    const bridge = larder()
    const store = await storeOver(bridge)
    shown = await render(store, await component('ApprovalDialog'))
    expect(dialogs(shown)).toHaveLength(0)

    bridge.emit('terminal.requested', request(3))
    await settle()
    const [dialog] = dialogs(shown)
    expect(dialog?.getAttribute('aria-labelledby')).toBeTruthy()
    expect(page().getElementById(dialog?.getAttribute('aria-labelledby') ?? '')?.textContent).toBe('A terminal asks for tokens')
    const facts = shown.all('.terminal-facts dd').map((fact) => fact.textContent.trim())
    expect(facts).toEqual(['larder token', 'Brasserie Nord', 'pts/3, shell pid 4103', 'pts/3', '/home/someone/project-3', 'pid 5003, parent pid 4103'])
    expect(dialog?.textContent).toContain('larder token asks for Brasserie Nord.')
    expect(dialog?.textContent).toMatch(/Unanswered, Larder refuses it in 1 min\./)
    expect(page().activeElement?.textContent).toBe('Deny')

    await shown.click(shown.button('Allow for 10 minutes of inactivity'))
    expect(bridge.inputsOf('terminal.approve')).toEqual([{ requestId: request(3).requestId }])
    expect(dialogs(shown)).toHaveLength(0)
    expect(store.getState().terminalSessions.map((allowed) => allowed.label)).toEqual(['pts/3, shell pid 4103'])
  })

  it('shows several requests one after another, oldest first: "up to 12 hours" on the first, Deny on the second', async () => {
    const bridge = larder([], [request(2), request(1)])
    const store = await storeOver(bridge)
    shown = await render(store, await component('ApprovalDialog'))
    await settle()
    expect(shown.root.textContent).toContain('1 of 2 requests waiting')
    expect(shown.all('.terminal-facts dd')[4]?.textContent).toBe('/home/someone/project-1')

    await shown.click(shown.button('Allow for up to 12 hours'))
    expect(bridge.inputsOf('terminal.approve')).toEqual([{ requestId: request(1).requestId, idleMs: 12 * HOUR }])
    expect(dialogs(shown)).toHaveLength(1)
    expect(shown.root.textContent).not.toContain('requests waiting')
    expect(shown.all('.terminal-facts dd')[4]?.textContent).toBe('/home/someone/project-2')
    expect(page().activeElement?.textContent).toBe('Deny')

    await shown.click(shown.button('Deny'))
    expect(bridge.inputsOf('terminal.deny')).toEqual([{ requestId: request(2).requestId }])
    expect(dialogs(shown)).toHaveLength(0)
  })

  it('closes when the request was answered elsewhere or timed out (Larder\'s sessions list no longer holds it)', async () => {
    const bridge = larder()
    const store = await storeOver(bridge)
    shown = await render(store, await component('ApprovalDialog'))
    bridge.emit('terminal.requested', request(4))
    bridge.emit('terminal.sessions', { sessions: [], pending: [request(4)] })
    await settle()
    expect(dialogs(shown)).toHaveLength(1)
    bridge.emit('terminal.sessions', { sessions: [], pending: [] })
    await settle()
    expect(dialogs(shown)).toHaveLength(0)
    expect(bridge.inputsOf('terminal.deny')).toEqual([])
  })

  it('Escape denies (the safe answer), never allows', async () => {
    const bridge = larder([], [request(6)])
    shown = await render(await storeOver(bridge), await component('ApprovalDialog'))
    await settle()
    const [dialog] = dialogs(shown)
    dialog?.dispatchEvent(new (page().defaultView as unknown as { Event: typeof Event }).Event('cancel', { cancelable: true }) as never)
    await settle()
    expect(bridge.inputsOf('terminal.deny')).toEqual([{ requestId: request(6).requestId }])
    expect(bridge.inputsOf('terminal.approve')).toEqual([])
    expect(dialogs(shown)).toHaveLength(0)
  })

  it('a command that named no library, run outside a terminal, says so', async () => {
    const bridge = larder([], [request(5, { command: 'ls', library: null, tty: null })])
    shown = await render(await storeOver(bridge), await component('ApprovalDialog'))
    await settle()
    const facts = shown.all('.terminal-facts dd').map((fact) => fact.textContent.trim())
    expect(facts.slice(0, 4)).toEqual(['larder ls', 'none named', 'pts/5, shell pid 4105', 'none (not run from a terminal)'])
  })
})

describe("the page's session times", () => {
  it('are the contract\'s (the page repeats them so as not to load zod)', () => {
    expect({ SESSION_IDLE_MS, SESSION_MAX_MS }).toEqual({ SESSION_IDLE_MS: DEFAULT_SESSION_IDLE_MS, SESSION_MAX_MS: MAX_SESSION_MS })
  })
})

describe('terminal sessions in Settings', () => {
  it('explains what terminal sessions are when none is allowed', async () => {
    shown = await render(await storeOver(larder()), await component('TerminalSessions'))
    await settle()
    expect(shown.root.querySelector('h3')?.textContent).toBe('Terminal sessions')
    expect(shown.root.textContent).toContain('No terminal session may take tokens now.')
    expect(shown.root.textContent).toMatch(/larder token.*asks here first.*10 minutes.*12 hours.*revoke them/)
    expect(shown.all('table')).toHaveLength(0)
  })

  it('lists each allowed session (label, allowed, last used, ends) and revokes it through Larder', async () => {
    const bridge = larder([session(1), session(2, { endsAt: Date.now() + 3 * HOUR + 30_000, hardEndAt: Date.now() + 3 * HOUR + 30_000 })])
    const store = await storeOver(bridge)
    shown = await render(store, await component('TerminalSessions'))
    await settle()
    const rows = (): string[][] => shown?.all('tbody tr').map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent.replace(/\s+/g, ' ').trim())) ?? []
    expect(rows()).toEqual([
      ['pts/1, shell pid 4101', '5 min ago', '3 min ago', 'in 7 min (unless used again)', 'Revoke'],
      ['pts/2, shell pid 4102', '5 min ago', '3 min ago', 'in 3 h (at the latest)', 'Revoke']
    ])
    expect(shown.all('thead th').map((cell) => cell.textContent)).toEqual(['Session', 'Allowed', 'Last used', 'Ends', 'Actions'])

    await shown.click(shown.button('Revoke pts/1, shell pid 4101'))
    expect(bridge.inputsOf('terminal.revoke')).toEqual([{ sessionId: session(1).sessionId }])
    expect(rows()).toEqual([['pts/2, shell pid 4102', '5 min ago', '3 min ago', 'in 3 h (at the latest)', 'Revoke']])
    expect(store.getState().toasts.at(-1)?.text).toBe('Terminal session revoked: its next command asks again.')

    // Larder's word on the sessions (one ended, idle) replaces the list.
    bridge.emit('terminal.sessions', { sessions: [], pending: [] })
    await settle()
    expect(shown.root.textContent).toContain('No terminal session may take tokens now.')
  })
})
