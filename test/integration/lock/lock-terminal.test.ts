// The app lock at the terminal's handler table (the `larder` command's calls, as the endpoint hands them on): locking
// needs no approval; locked, a call is refused with kind 'locked' unless it carries the passphrase (reserved field
// `lockPassphrase`) from a session allowed before the lock, which then gets that one answer while Larder stays
// locked. A session not yet allowed cannot be asked about while locked, and a question waiting when Larder locks is
// refused at once.
import { afterEach, describe, expect, it } from 'vitest'
import { createLarderApp } from '../../../src/main/app/create-app.ts'
import { TERMINAL_LOCKED, TERMINAL_NOT_ALLOWED_WHILE_LOCKED } from '../../../src/main/app/lock/guard-terminal.ts'
import type { ClientFacts, TerminalResult } from '../../../src/shared/terminal-words.ts'
import { TEST_PASSPHRASE, lockEntries, startLockWorld, type LockWorld } from './lock-world.ts'

let world: LockWorld | null = null
afterEach(async () => {
  await world?.close()
  world = null
})

const facts = (session: string): ClientFacts => ({ pid: 4242, ppid: 4100, session, tty: 'pts/3', cwd: '/home/pat', command: 'token', parent: 'bash' })
const none = (): void => undefined

async function token(w: LockWorld, input: Record<string, unknown>, session = 'linux:sid=4100'): Promise<TerminalResult> {
  return w.app.terminal.handlers.token({ library: 'Brasserie Nord', format: 'raw', ...input }, facts(session), none)
}

describe('the app lock at the terminal', () => {
  it('larder lock needs no approval, and answers what the lock means', async () => {
    const w = (world = await startLockWorld({ terminalPolicy: 'ask' }))
    const locked = await w.app.terminal.handlers.lock({}, facts('a session never allowed'), none)
    expect(locked).toEqual({ ok: true, value: { state: 'guarded', message: expect.stringMatching(/refreshed/) } })
    expect(w.app.terminal.access.list().pending).toEqual([])
    expect((await lockEntries(w)).at(-1)).toEqual({ action: 'locked', outcome: 'ok', detail: 'locked now, from a terminal' })
    const forgot = await w.app.terminal.handlers.forget({}, facts('a session never allowed'), none)
    expect(forgot).toEqual({ ok: true, value: { state: 'locked', message: expect.stringMatching(/no token is refreshed until you unlock/) } })
  })

  it('locked: refused with kind locked; the passphrase answers that one call and Larder stays locked', async () => {
    const w = (world = await startLockWorld())
    await w.handlers['lock.now']({})
    expect(await token(w, {})).toEqual({ ok: false, error: { kind: 'locked', message: TERMINAL_LOCKED, passphraseAccepted: true } })
    expect(await w.app.terminal.handlers.ls({}, facts('linux:sid=4100'), none)).toMatchObject({ ok: false, error: { kind: 'locked' } })

    expect(await token(w, { lockPassphrase: 'not the passphrase' })).toEqual({
      ok: false,
      error: { kind: 'locked', message: 'That passphrase does not unlock Larder.', passphraseAccepted: true }
    })
    expect(await w.handlers['vault.state']({})).toMatchObject({ ok: true, value: { state: 'guarded', failures: 1 } })

    const answered = await token(w, { lockPassphrase: TEST_PASSPHRASE })
    const held = await w.app.core()?.vault.secrets(w.library.id, ['accessToken'])
    expect(answered).toEqual({ ok: true, value: { text: held?.accessToken, expiresAt: expect.any(Number) } })
    expect(w.app.lock?.guarded()).toBe(true)
    expect(await w.handlers['vault.state']({})).toMatchObject({ ok: true, value: { state: 'guarded', failures: 0 } })
    expect((await lockEntries(w)).at(-1)).toEqual({ action: 'unlocked', outcome: 'ok', detail: 'one call with the passphrase, from a terminal (bash on pts/3 (pid 4100)); Larder stays locked' })
    // Still locked: the next call asks again.
    expect(await token(w, {})).toMatchObject({ ok: false, error: { kind: 'locked', passphraseAccepted: true } })
  })

  it('a session not allowed before the lock is refused without being asked about (no passphrase helps)', async () => {
    const w = (world = await startLockWorld({ terminalPolicy: 'ask' }))
    await w.handlers['lock.now']({})
    w.events.clear()
    expect(await token(w, { lockPassphrase: TEST_PASSPHRASE })).toEqual({ ok: false, error: { kind: 'locked', message: TERMINAL_NOT_ALLOWED_WHILE_LOCKED, passphraseAccepted: false } })
    expect(w.app.terminal.access.list().pending).toEqual([])
    expect(w.events.all).toEqual([])
  })

  it('a question waiting in the window when Larder locks is refused at once', async () => {
    const w = (world = await startLockWorld({ terminalPolicy: 'ask' }))
    const waiting = token(w, {})
    await new Promise((resolve) => setImmediate(resolve))
    expect(w.app.terminal.access.list().pending).toHaveLength(1)
    await w.handlers['lock.now']({})
    expect(await waiting).toEqual({ ok: false, error: { kind: 'not_approved', message: 'Larder did not allow this terminal session (Larder was locked).' } })
    expect(w.app.terminal.access.list().pending).toEqual([])
  })

  it('the agent has no lock: larder lock says so', async () => {
    const w = (world = await startLockWorld())
    const agent = createLarderApp({ ...w.ports, info: { name: 'Larder', version: 'test', host: 'agent' } })
    expect(agent.lock).toBeNull()
    expect(await agent.terminal.handlers.lock({}, facts('linux:sid=4100'), none)).toMatchObject({
      ok: false,
      error: { kind: 'invalid_input', field: 'lock', message: expect.stringMatching(/without a window \(larder agent\) and has no lock/) }
    })
    await agent.close()
  })

  it('the lock field is checked, and taken off when Larder is not locked', async () => {
    const w = (world = await startLockWorld())
    expect(await token(w, { lockPassphrase: 42 })).toEqual({ ok: false, error: { kind: 'invalid_input', field: 'lockPassphrase', message: 'token: lockPassphrase: must be the passphrase, as text' } })
    expect(await token(w, { lockPassphrase: 'anything at all' })).toMatchObject({ ok: true })
  })
})
