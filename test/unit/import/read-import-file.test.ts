// The file an import reads: named by an absolute path, a regular file of at most 50 MB, UTF-8 or UTF-16 with its mark.
// A pipe is refused once opened, never waited on; a folder, a larger file or text in another encoding is refused by
// name, and the file's contents are never quoted.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ImportFileError, readImportFile } from '../../../src/main/core/estate/import/index.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-import-file-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

async function refusal(file: string): Promise<string> {
  const error = await readImportFile(file).then(
    () => null,
    (thrown: unknown) => thrown
  )
  expect(error).toBeInstanceOf(ImportFileError)
  return (error as ImportFileError).message
}

describe('reading an import file', () => {
  it('reads UTF-8 (with or without a BOM) and UTF-16 with its mark, and answers the name without its folder', async () => {
    const plain = path.join(dir, 'plain.csv')
    fs.writeFileSync(plain, '\uFEFFname\nCafé\n')
    expect(await readImportFile(plain)).toEqual({ text: 'name\nCafé\n', fileName: 'plain.csv' })
    const wide = path.join(dir, 'wide.csv')
    fs.writeFileSync(wide, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name\tx\nCafé\t1\n', 'utf16le')]))
    expect((await readImportFile(wide)).text).toBe('name\tx\nCafé\t1\n')
  })

  it('refuses a relative path, a missing file, a folder, a pipe, a file over 50 MB and text that is not UTF-8', async () => {
    expect(await refusal('estate.csv')).toMatch(/absolute path/)
    expect(await refusal(path.join(dir, 'missing.csv'))).toBe('missing.csv could not be opened (there is no such file).')
    expect(await refusal(dir)).toMatch(/is not a regular file/)
    if (process.platform !== 'win32') {
      const fifo = path.join(dir, 'pipe.csv')
      execFileSync('mkfifo', [fifo])
      expect(await refusal(fifo)).toMatch(/pipe\.csv is not a regular file/)
    }
    const big = path.join(dir, 'big.csv')
    fs.writeFileSync(big, 'name\n')
    fs.truncateSync(big, 50 * 1024 * 1024 + 1)
    expect(await refusal(big)).toMatch(/^big\.csv is 50\.0 MB; an import reads at most 50 MB/)
    const latin = path.join(dir, 'latin.csv')
    fs.writeFileSync(latin, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x43, 0x61, 0x66, 0xe9, 0x0a]))
    expect(await refusal(latin)).toMatch(/latin\.csv is not UTF-8 text/)
  })
})
