// `npm run dev:web` refuses bad flags before it starts anything: exit 2, and a message naming the flag.
import { execFile } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const CLI = path.resolve(import.meta.dirname, '../../browser-host/cli.ts')

function run(...args: string[]): Promise<{ status: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--disable-warning=ExperimentalWarning', CLI, ...args], { encoding: 'utf8', timeout: 15_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr })
    })
  })
}

describe('dev:web flags', () => {
  it.concurrent.each([
    [['--bogus'], '--bogus'],
    [['--port'], '--port'],
    [['--port', 'eighty'], '--port'],
    [['--port', '70000'], '--port'],
    [['--port', '-1'], '--port'],
    [['--api-url', 'ftp://example.com'], '--api-url'],
    [['--api-url', 'http://example.com'], '--api-url'],
    [['--api-url', 'https://api.apicbase.com/api/v2'], '--api-url'],
    [['--data', ''], '--data'],
    [['extra-positional'], 'extra-positional']
  ])('%j is refused naming %s', async (args, flag) => {
    const result = await run(...args)
    expect(result.status).toBe(2)
    expect(result.stderr).toContain(flag)
    expect(result.stderr).toContain('usage:')
    expect(result.stdout).toBe('')
  })

  it.concurrent('--help prints the usage and exits 0', async () => {
    const result = await run('--help')
    expect(result.status).toBe(0)
    expect(result.stderr).toContain('usage:')
  })
})
