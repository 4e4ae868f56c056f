// The app lock at the terminal lets Ctrl-C of `larder import` through: an allowed session's 'import-cancel' reaches
// its handler without the passphrase (cancelling only takes away), while every other call of that session still
// answers 'locked'; a session not allowed before the lock is refused as before.
import { describe, expect, it } from 'vitest'
import { guardTerminal } from '../../../src/main/app/lock/guard-terminal.ts'
import { TERMINAL_CALLS, type ClientFacts, type TerminalHandler, type TerminalHandlers } from '../../../src/shared/terminal-words.ts'

const FACTS: ClientFacts = { pid: 4242, ppid: 4100, session: 'linux:sid=4100;tty=34816;start=123', tty: 'pts/3', cwd: '/home/pat', command: 'import' }
const IMPORT_ID = '5a0c6b44-8f0e-4c1e-9a51-0d7f1d3c2b10'

function guarded(allowed: boolean): { handlers: TerminalHandlers; reached: string[] } {
  const reached: string[] = []
  const table: Record<string, TerminalHandler> = {}
  for (const name of TERMINAL_CALLS) {
    table[name] = async () => {
      reached.push(name)
      return { ok: true, value: { outcome: 'cancelling' } }
    }
  }
  const lock = { guarded: () => true, allowOneCall: async () => undefined, now: async () => { throw new Error('not here') }, forget: async () => { throw new Error('not here') } }
  const handlers = guardTerminal(table as unknown as TerminalHandlers, lock as never, { allowedLabel: () => (allowed ? 'larder import from bash on pts/3' : null) })
  return { handlers, reached }
}

describe("the lock and larder import's Ctrl-C", () => {
  it("passes an allowed session's import-cancel without a passphrase; its other calls stay locked", async () => {
    const { handlers, reached } = guarded(true)
    expect(await handlers['import-cancel']({ importId: IMPORT_ID }, FACTS, () => undefined)).toEqual({ ok: true, value: { outcome: 'cancelling' } })
    expect(await handlers.import({ path: '/home/pat/estate.csv', dryRun: false, confirmedHosts: [] }, FACTS, () => undefined)).toMatchObject({ ok: false, error: { kind: 'locked', passphraseAccepted: true } })
    expect(reached).toEqual(['import-cancel'])
  })

  it('refuses a session not allowed before the lock', async () => {
    const { handlers, reached } = guarded(false)
    expect(await handlers['import-cancel']({ importId: IMPORT_ID }, FACTS, () => undefined)).toMatchObject({ ok: false, error: { kind: 'locked', passphraseAccepted: false } })
    expect(reached).toEqual([])
  })
})
