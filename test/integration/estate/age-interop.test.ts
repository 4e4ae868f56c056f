// The standard `age` tool opens a Larder backup with its passphrase (issue 17). age reads a passphrase only from a
// terminal, so it runs under a pseudo-terminal made by `script` (util-linux) and is typed the passphrase there, as a
// person would; nothing secret goes on a command line. Skipped, saying why, only where `age` is not installed.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BACKUP_PASSPHRASE, call, startEstateWorld, type EstateWorld } from './estate-world.ts'

const AGE = spawnSync('age', ['--version'], { encoding: 'utf8' })
const HAS_AGE = AGE.error === undefined && AGE.status === 0
const SKIP_REASON = 'the age command is not installed here (Debian package "age"; .ci/run installs it)'

let world: EstateWorld
let scratch: string
afterEach(async () => {
  await world?.close()
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true })
})

/** `age --decrypt -o out file` in a pseudo-terminal, typing `passphrase` at its prompt. Answers its exit status. */
function ageDecrypt(file: string, out: string, passphrase: string): Promise<{ code: number | null; output: string }> {
  const command = `age --decrypt -o ${JSON.stringify(out)} ${JSON.stringify(file)}`
  const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] })
  let output = ''
  let typed = false
  const onData = (chunk: Buffer): void => {
    output += chunk.toString('utf8')
    if (!typed && /passphrase/i.test(output)) {
      typed = true
      child.stdin.write(`${passphrase}\r`)
    }
  }
  child.stdout.on('data', onData)
  child.stderr.on('data', onData)
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(timer)
      child.stdin.destroy()
      resolve({ code, output })
    })
  })
}

describe.skipIf(!HAS_AGE)(`age interop${HAS_AGE ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  it('`age --decrypt` opens a Larder backup with its passphrase: the whole document, secrets and all', async () => {
    expect(spawnSync('script', ['--version']).status, '`script` (util-linux) gives age its terminal').toBe(0)
    world = await startEstateWorld()
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-age-'))
    const a = await world.machine('a')
    const nord = await a.add('Bistro Nord')
    const file = path.join(scratch, 'larder.age')
    await call(a.handlers, 'backup.create', { path: file, passphrase: BACKUP_PASSPHRASE })
    expect(fs.readFileSync(file).subarray(0, 22).toString()).toBe('age-encryption.org/v1\n')

    const out = path.join(scratch, 'opened.json')
    const opened = await ageDecrypt(file, out, BACKUP_PASSPHRASE)
    expect(opened.code, opened.output).toBe(0)
    const document = JSON.parse(fs.readFileSync(out, 'utf8')) as { format: string; version: number; libraries: { meta: { id: string; name: string }; secrets: Record<string, string> }[] }
    expect(document).toMatchObject({ format: 'larder-backup', version: 1 })
    expect(document.libraries.map((l) => l.meta.name)).toEqual(['Bistro Nord'])
    expect(document.libraries[0]?.secrets).toEqual(await a.core.vault.secrets(nord.id))

    const refused = await ageDecrypt(file, path.join(scratch, 'wrong.json'), 'not the passphrase at all')
    expect(refused.code).not.toBe(0)
    expect(fs.existsSync(path.join(scratch, 'wrong.json'))).toBe(false)
  })
})
