// The command's own answers before it asks Larder anything: help on stdout when asked for, on stderr when the
// command line was wrong; usage mistakes exit 2 with a `larder:` line; nothing reaches a data folder.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../../src/main/cli/main.ts'
import { EXIT_CODES } from '../../../src/shared/terminal-words.ts'

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, { out: (text) => void (out += text), err: (text) => void (err += text) })
  return { code, out, err }
}

describe('larder, before it asks Larder anything', () => {
  it('prints the help on stdout when asked, on stderr (exit 2) when no command is given', async () => {
    const asked = await run('--help')
    expect(asked).toMatchObject({ code: EXIT_CODES.ok, err: '' })
    expect(asked.out).toContain('larder token LIB [--format F]')
    const none = await run()
    expect(none).toMatchObject({ code: EXIT_CODES.usage, out: '' })
    expect(none.err).toContain('Exit codes: 0 ok')
  })

  it('gives each command its own help, and says what was wrong on a usage mistake', async () => {
    expect((await run('exec', '--help')).out).toContain('APICBASE_<KEY>_ACCESS_TOKEN')
    const cases: [string[], string][] = [
      [['frobnicate'], 'Unknown command "frobnicate".'],
      [['token'], 'larder token needs LIB'],
      [['token', 'a', 'b'], 'larder token takes one LIB; got 2'],
      [['token', 'Acme', '--format', 'yaml'], 'Unknown --format "yaml": use one of raw, header, env, curl, json.'],
      [['ls', '--bogus'], "Unknown option '--bogus'"],
      [['exec', '--library', 'Acme', 'node'], 'larder exec needs -- before the command'],
      [['exec', '--', 'node'], 'larder exec needs --library LIB'],
      [['exec', '--library', 'Acme', '--'], 'larder exec needs a command after --.']
    ]
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-cli-usage-'))
    try {
      for (const [argv, said] of cases) {
        const { code, out, err } = await run(...argv, ...(argv[0] === 'exec' ? [] : ['--data-dir', dataDir]))
        expect(code, argv.join(' ')).toBe(EXIT_CODES.usage)
        expect(out).toBe('')
        expect(err).toMatch(/^larder: /)
        expect(err).toContain(said)
      }
      // Nothing was made in the folder: a usage mistake never reaches the endpoint.
      expect(fs.readdirSync(dataDir)).toEqual([])
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
