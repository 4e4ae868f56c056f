import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { apiGet } from './test-helpers.ts'

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url))
let child: ChildProcessWithoutNullStreams | null = null

afterEach(() => {
  if (child !== null && child.exitCode === null) child.kill('SIGKILL')
  child = null
})

function run(args: string[]): ChildProcessWithoutNullStreams {
  child = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe' })
  return child
}

function collect(stream: NodeJS.ReadableStream): { text: () => string; firstLine: Promise<string> } {
  let text = ''
  const firstLine = new Promise<string>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8')
      const nl = text.indexOf('\n')
      if (nl >= 0) resolve(text.slice(0, nl))
    })
    stream.on('end', () => reject(new Error(`stream ended before a line: ${text}`)))
  })
  return { text: () => text, firstLine }
}

const exited = (p: ChildProcessWithoutNullStreams): Promise<number | null> =>
  new Promise((resolve) => p.once('exit', (code) => resolve(code)))

describe('cli', () => {
  it('--json prints exactly one line of credentials and stops cleanly on SIGTERM', async () => {
    const p = run(['--json', '--port', '0', '--seed', '4', '--no-rate-limit'])
    const out = collect(p.stdout)
    const info: unknown = JSON.parse(await out.firstLine)
    expect(info).toMatchObject({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      adminUrl: expect.stringMatching(/\/__sandbox$/),
      user: { id: 501, name: 'Pat Partner' }
    })
    const parsed = info as { url: string; libraries: { id: number; tokenType: string; accessToken: string; clientId: string; clientSecret: string; refreshToken: string; familyId: string; scopes: string[]; name: string }[] }
    expect(parsed.libraries.map((l) => l.id)).toEqual([1001, 1002, 1003, 1004])
    expect(Object.keys(parsed.libraries[0] ?? {}).sort()).toEqual(
      ['accessToken', 'clientId', 'clientSecret', 'familyId', 'id', 'name', 'refreshToken', 'scopes', 'tokenType'].sort()
    )
    const recipes = await apiGet(parsed.url, '/api/v2/products/recipes/', parsed.libraries[0]?.accessToken)
    expect(recipes.status).toBe(200)
    expect(recipes.headers.get('ratelimit-limit')).toBeNull() // --no-rate-limit
    expect((await fetch(`${parsed.url}/__sandbox/clock/`)).status).toBe(200) // admin is on

    const done = exited(p)
    p.kill('SIGTERM')
    expect(await done).toBe(0)
    expect(out.text()).toBe(`${await out.firstLine}\n`)
  })

  it('prints a readable table without --json', async () => {
    const p = run(['--port', '0'])
    const out = collect(p.stdout)
    expect(await out.firstLine).toMatch(/^Apicbase sandbox listening on http:\/\/127\.0\.0\.1:\d+$/)
    await new Promise((r) => setTimeout(r, 100))
    expect(out.text()).toContain('Brasserie Nord')
    expect(out.text()).toContain('/__sandbox')
    const done = exited(p)
    p.kill('SIGINT')
    expect(await done).toBe(0)
  })

  it('without --seed each run has data of its own and prints its seed; --seed repeats it (issue 19)', async () => {
    const start = async (args: string[]): Promise<{ seed: unknown; secret: string }> => {
      const p = run(['--json', ...args])
      const info = JSON.parse(await collect(p.stdout).firstLine) as { seed: unknown; libraries: { clientSecret: string }[] }
      const done = exited(p)
      p.kill('SIGTERM')
      await done
      return { seed: info.seed, secret: info.libraries[0]?.clientSecret ?? '' }
    }
    const [a, b] = [await start([]), await start([])]
    expect(typeof a.seed).toBe('number')
    expect(a.seed === b.seed).toBe(false)
    expect(a.secret === b.secret).toBe(false)
    const again = await start(['--seed', String(a.seed)])
    expect(again.seed).toBe(a.seed)
    expect(again.secret === a.secret).toBe(true)
    const table = run(['--port', '0'])
    const out = collect(table.stdout)
    await out.firstLine
    await new Promise((r) => setTimeout(r, 100))
    expect(out.text()).toMatch(/\bseed \d+ \(--seed \d+ repeats these credentials\)/)
    const done = exited(table)
    table.kill('SIGINT')
    await done
  })

  it('rejects bad flags with exit code 2, naming the flag', async () => {
    for (const args of [['--bogus'], ['--port', 'abc'], ['--ttl']]) {
      const p = run(args)
      let err = ''
      p.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')))
      expect(await exited(p)).toBe(2)
      expect(err).toContain(args[0])
    }
  })
})
