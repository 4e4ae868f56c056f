// `larder import` adds secrets, so it is let through only for a terminal session the person allowed, as `larder token`
// is: a new session's import waits on the window's question; refused, nothing is read, sent or stored; allowed, the
// rows go in and the progress comes to the terminal as pending lines.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ClientFacts } from '../../../src/shared/terminal-words.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

let h: LarderHarness
afterEach(async () => {
  await h?.close()
})

const FACTS: ClientFacts = { pid: 4242, ppid: 4100, session: 'linux:sid=4100;tty=34816;start=123', tty: 'pts/3', cwd: '/home/pat', command: 'import' }

describe('larder import and the terminal session’s approval', () => {
  it('asks first; refused, nothing happens; allowed, the file is imported with progress lines', async () => {
    h = await startLarder()
    const made = h.sandbox.addLibraryWithApplication({ name: 'Approved' })
    const file = path.join(h.dir, 'one.csv')
    fs.writeFileSync(file, `name,token type,client id,client secret,access token,refresh token,api base url\nApproved,${made.tokenType},${made.clientId},${made.clientSecret},${made.accessToken},${made.refreshToken},${h.sandbox.url}\n`)
    const input = { path: file, dryRun: false, confirmedHosts: [] }

    const deny = h.app.events.on('terminal.requested', (request) => void h.app.terminal.access.deny(request.requestId))
    const refused = await h.app.terminal.handlers.import(input, FACTS, () => undefined)
    deny()
    expect(refused).toMatchObject({ ok: false, error: { kind: 'not_approved' } })
    expect(h.sandbox.counters.hits).toHaveLength(0)
    expect(h.core.libraries.list()).toHaveLength(0)
    const asked = h.events.of('terminal.requested')
    expect(asked).toHaveLength(1)
    expect(asked[0]).toMatchObject({ command: 'import', tty: 'pts/3' })

    h.app.events.on('terminal.requested', (request) => void h.app.terminal.access.approve(request.requestId))
    const lines: string[] = []
    const allowed = await h.app.terminal.handlers.import(input, FACTS, (line) => lines.push(line))
    expect(allowed).toMatchObject({ ok: true, value: { dryRun: false, counts: { imported: 1 } } })
    expect(lines).toEqual(['Waiting for approval in Larder (window and notification)', 'Importing: 0 of 1 rows done (0 imported, 0 failed)', 'Importing: 1 of 1 rows done (1 imported, 0 failed)'])
    expect(h.core.libraries.list().map((library) => library.name)).toEqual(['Approved'])
  })
})
