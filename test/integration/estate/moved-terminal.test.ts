// A moved library in the terminal (issue 17 part 3): `larder ls` and `larder status` say "Moved" / "moved", from the
// rows the app builds after a real move, never "revoked" (its token still works, on the other machine). The list's
// counts (the window's first page) name it under 'moved' too.
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { toTerminalRow } from '../../../src/main/app/terminal/terminal-handlers.ts'
import { listLibraries, showStatus, type Caller } from '../../../src/main/cli/commands.ts'
import type { ListFirstView } from '../../../src/shared/contract.ts'
import { BACKUP_PASSPHRASE, call, startEstateWorld, type EstateWorld } from './estate-world.ts'

let world: EstateWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

describe('larder ls and status after a move', () => {
  it('say Moved, not Revoked, and the counts name it moved', async () => {
    world = await startEstateWorld()
    const old = await world.machine('old')
    await old.add('Bistro Nord')
    await old.add('Bistro Zuid')
    await call(old.handlers, 'move.export', { path: path.join(old.dir, 'move.age'), passphrase: BACKUP_PASSPHRASE })
    const rows = old.core.libraries.list().map((library) => toTerminalRow(library, world!.clock.now()))
    expect(rows.map((row) => row.status)).toEqual(['moved', 'moved'])
    // Without its hold (an older app's row), the status alone still reads Moved.
    const bare = rows.map(({ hold: _hold, ...row }) => row)
    const caller: Caller = async <T,>() => ({ holder: { host: 'test', pid: 1, version: 'test', vault: 'open' }, value: { libraries: bare } as T })
    let out = ''
    const io = { out: (text: string) => void (out += text), err: () => undefined }
    await listLibraries(caller, io, false)
    expect(out).toMatch(/Bistro Nord\s+Moved\s/)
    expect(out).not.toMatch(/revoked/i)
    out = ''
    await showStatus(caller, io, undefined, false)
    expect(out).toContain('2 libraries: 2 moved\n')
    const first = await call<ListFirstView>(old.handlers, 'libraries.listFirst', { count: 10, locale: 'en' })
    expect(first.counts).toMatchObject({ moved: 2, revoked: 0 })
  })
})
