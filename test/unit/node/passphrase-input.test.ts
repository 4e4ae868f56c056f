// The agent's passphrase file is read as ssh reads a key: only a regular file of this user that nobody else can read
// or write, with one trailing newline dropped; without a file and without a terminal there is no passphrase.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { passphraseFrom, readPassphraseFile } from '../../../src/main/node/passphrase-input.ts'

let tmp: string
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-pass-'))
})
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }))

function file(name: string, text: string, mode: number): string {
  const at = path.join(tmp, name)
  fs.writeFileSync(at, text, { mode })
  fs.chmodSync(at, mode)
  return at
}

describe('the passphrase file', () => {
  it('reads a private file, dropping one trailing newline and keeping everything else', () => {
    expect(readPassphraseFile(file('a', 'correct horse \n', 0o600))).toBe('correct horse ')
    expect(readPassphraseFile(file('b', 'two\n\n', 0o400))).toBe('two\n')
    expect(readPassphraseFile(file('c', 'crlf\r\n', 0o600))).toBe('crlf')
  })

  it.skipIf(process.platform === 'win32')('refuses a file others can read or write, naming the mode and the fix', () => {
    const open = file('open', 'secret', 0o644)
    expect(() => readPassphraseFile(open)).toThrow(`can be read or written by others (mode 644). Run: chmod 600 ${open}`)
    expect(() => readPassphraseFile(file('group', 'secret', 0o620))).toThrow('mode 620')
  })

  it('refuses a link, a folder, a missing file and an empty one', () => {
    const target = file('target', 'secret', 0o600)
    const link = path.join(tmp, 'link')
    fs.symlinkSync(target, link)
    expect(() => readPassphraseFile(link)).toThrow('is not a regular file')
    expect(() => readPassphraseFile(tmp)).toThrow('is not a regular file')
    expect(() => readPassphraseFile(path.join(tmp, 'none'))).toThrow('does not exist')
    expect(() => readPassphraseFile(file('empty', '\n', 0o600))).toThrow('is empty')
  })

  it('takes LARDER_PASSPHRASE_FILE when no file is named, and says what to do when there is no source at all', async () => {
    const named = file('env', 'from env\n', 0o600)
    const input = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream
    const output = new PassThrough() as unknown as NodeJS.WriteStream
    await expect(passphraseFrom({ env: { LARDER_PASSPHRASE_FILE: named }, streams: { input, output } })).resolves.toBe('from env')
    await expect(passphraseFrom({ env: {}, streams: { input, output } })).rejects.toThrow('No passphrase: give --passphrase-file FILE (or LARDER_PASSPHRASE_FILE)')
  })
})
