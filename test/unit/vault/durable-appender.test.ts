// The appender keeps its descriptor open between appends: it must still write to the file at its path, never to
// one deleted or replaced behind its back (whose lines would vanish at the next start).
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { DurableAppender } from '../../../src/main/core/vault/durable-fs.ts'
import { mode, tempDir } from './fixtures.ts'

describe('DurableAppender', () => {
  it('appends to the file at its path, made private, across deletion and replacement', async () => {
    const file = path.join(tempDir(), 'log')
    const appender = new DurableAppender(file)
    try {
      expect(await appender.append('one\n')).toMatchObject({ created: true, size: 4 })
      expect(mode(file)).toBe(0o600)
      expect(await appender.append('two\n')).toMatchObject({ created: false, size: 8 })
      fs.rmSync(file)
      expect(await appender.append('three\n')).toMatchObject({ created: true, size: 6 })
      expect(fs.readFileSync(file, 'utf8')).toBe('three\n')
      const replacement = `${file}.new`
      fs.writeFileSync(replacement, 'kept\n')
      fs.renameSync(replacement, file)
      const after = await appender.append('four\n')
      expect(fs.readFileSync(file, 'utf8')).toBe('kept\nfour\n')
      expect(after).toMatchObject({ size: 10, ino: fs.statSync(file).ino })
    } finally {
      appender.closeNow()
    }
  })

  it('fails loudly when the file cannot be written, and works again once it can', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'log')
    fs.symlinkSync(path.join(dir, 'missing', 'target'), file)
    const appender = new DurableAppender(file)
    try {
      await expect(appender.append('lost?\n')).rejects.toThrow(/ENOENT/)
      fs.rmSync(file)
      await appender.append('back\n')
      expect(fs.readFileSync(file, 'utf8')).toBe('back\n')
    } finally {
      appender.closeNow()
    }
  })

  it('makes a file it creates durable in its folder without holding the main thread (no fsync there, was 1)', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'log')
    const appender = new DurableAppender(file)
    const onMainThread = vi.spyOn(fs, 'fsyncSync')
    const inPool = vi.spyOn(fs.promises, 'open')
    try {
      expect(await appender.append('one\n')).toMatchObject({ created: true, size: 4 })
      expect(onMainThread).not.toHaveBeenCalled()
      // The folder is opened (and fsynced) on libuv's pool, and the append waits for it.
      expect(inPool.mock.calls.map((call) => String(call[0]))).toEqual([dir])
      expect(fs.readFileSync(file, 'utf8')).toBe('one\n')
    } finally {
      vi.restoreAllMocks()
      appender.closeNow()
    }
  })
})
