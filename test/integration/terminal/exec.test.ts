// `larder exec` with real processes: the token(s) reach COMMAND's environment only (never larder's own environment or
// command line), several libraries get prefixed names, COMMAND's status and stdin pass through, and SIGTERM sent to
// larder reaches a COMMAND that traps it.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { larder, startAgent, startWorld, type AgentProcess, type TerminalWorld, killStragglers } from '../../support/terminal-harness.ts'

let world: TerminalWorld
let agent: AgentProcess
let child: string
beforeAll(async () => {
  world = await startWorld({ libraries: [{ name: 'Brasserie Nord' }, { name: 'Café Zuid' }] })
  agent = await startAgent(world)
  // Prints a hash of each variable (never the value), and whether larder's own environ or cmdline holds the token.
  child = path.join(world.root, 'child.mjs')
  fs.writeFileSync(
    child,
    `import crypto from 'node:crypto'
import fs from 'node:fs'
const hash = (value) => (value === undefined ? null : crypto.createHash('sha256').update(value).digest('hex'))
const token = process.env.APICBASE_ACCESS_TOKEN ?? ''
const inParent = (file) => token !== '' && fs.readFileSync('/proc/' + process.ppid + '/' + file).includes(token)
console.log(JSON.stringify({
  token: hash(process.env.APICBASE_ACCESS_TOKEN),
  url: process.env.APICBASE_API_URL ?? null,
  library: process.env.APICBASE_LIBRARY_ID ?? null,
  names: Object.keys(process.env).filter((name) => name.startsWith('APICBASE_')).sort(),
  parentEnviron: inParent('environ'),
  parentCmdline: inParent('cmdline')
}))
`
  )
}, 60_000)
afterAll(async () => {
  await agent.stop()
  killStragglers()
  await world.close()
})

const sha256 = (text: string): string => crypto.createHash('sha256').update(text).digest('hex')

describe('larder exec', () => {
  it("puts the token in COMMAND's environment only: its hash is larder token's, larder's environ and cmdline lack it", async () => {
    const token = await larder(world, ['token', 'Brasserie Nord']).done
    expect(token.code).toBe(0)
    const ran = await larder(world, ['exec', '--library', 'Brasserie Nord', '--', process.execPath, child], { byEnv: true }).done
    expect(ran.stderr).toBe('')
    expect(ran.code).toBe(0)
    const seen = JSON.parse(ran.stdout) as Record<string, unknown>
    expect(seen).toEqual({
      token: sha256(token.stdout.trim()),
      url: world.sandbox.url,
      library: String(world.libraries[0]?.credentials.id),
      names: ['APICBASE_ACCESS_TOKEN', 'APICBASE_API_URL', 'APICBASE_LIBRARY_ID'],
      parentEnviron: false,
      parentCmdline: false
    })
  })

  it('two libraries with KEY= get prefixed names and no plain ones', async () => {
    const ran = await larder(world, ['exec', '--library', 'NORD=Brasserie Nord', '--library', 'zuid=Café Zuid', '--', process.execPath, child]).done
    expect(ran.code).toBe(0)
    const seen = JSON.parse(ran.stdout) as { names: string[]; token: string | null }
    expect(seen.names).toEqual([
      'APICBASE_NORD_ACCESS_TOKEN',
      'APICBASE_NORD_API_URL',
      'APICBASE_NORD_LIBRARY_ID',
      'APICBASE_ZUID_ACCESS_TOKEN',
      'APICBASE_ZUID_API_URL',
      'APICBASE_ZUID_LIBRARY_ID'
    ])
    expect(seen.token).toBeNull()
  })

  it("exits with COMMAND's status", async () => {
    const ran = await larder(world, ['exec', '--library', 'Brasserie Nord', '--', 'sh', '-c', 'exit 37']).done
    expect(ran).toMatchObject({ code: 37, stderr: '' })
  })

  it("passes stdin to COMMAND and COMMAND's stdout back", async () => {
    const ran = await larder(world, ['exec', '--library', 'Brasserie Nord', '--', 'cat'], { stdin: 'hi\n' }).done
    expect(ran).toMatchObject({ code: 0, stdout: 'hi\n' })
  })

  it('SIGTERM to larder reaches a COMMAND that traps it, and larder exits with its 143', async () => {
    const script = "trap 'echo got TERM; exit 143' TERM; echo ready; while :; do sleep 0.05; done"
    const running = larder(world, ['exec', '--library', 'Brasserie Nord', '--', 'sh', '-c', script])
    await running.waitFor('ready', 'stdout')
    running.child.kill('SIGTERM')
    const end = await running.done
    expect(end).toMatchObject({ code: 143, signal: null })
    expect(end.stdout).toBe('ready\ngot TERM\n')
  })
})
