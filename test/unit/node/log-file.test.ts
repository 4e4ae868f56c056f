// The Electron host's log: one line per event in <data folder>/logs/larder.log (readable by its owner only), also
// echoed to stderr; it rolls over to larder.old.log past its size limit and never throws at the code that logs.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFileLog } from '../../../src/main/node/log-file.ts'

let tmp: string
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-log-'))
})
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }))

const at = (): Date => new Date('2026-03-01T12:00:00.000Z')

describe('the log file', () => {
  it('writes one line per event under logs/, echoes it, and keeps it private', () => {
    const echoed: string[] = []
    const file = createFileLog({ directory: path.join(tmp, 'logs'), now: at, echo: (line) => echoed.push(line) })
    expect(file.path).toBe(path.join(tmp, 'logs', 'larder.log'))
    file.log('error', 'call failed', { call: 'libraries.add', kind: 'internal', error: 'TypeError', at: ['at f (file:///x.js:1:2)'] })
    file.log('warn', 'call refused', { call: 'libraries.copy', kind: 'invalid_input' })
    const lines = fs.readFileSync(file.path, 'utf8').split('\n')
    expect(lines).toEqual([
      '2026-03-01T12:00:00.000Z ERROR call failed {"call":"libraries.add","kind":"internal","error":"TypeError","at":["at f (file:///x.js:1:2)"]}',
      '2026-03-01T12:00:00.000Z WARN call refused {"call":"libraries.copy","kind":"invalid_input"}',
      ''
    ])
    expect(echoed.join('')).toBe(lines.join('\n'))
    if (process.platform !== 'win32') expect(fs.statSync(file.path).mode & 0o777).toBe(0o600)
  })

  it('rolls over to larder.old.log past its limit, keeping one old file', () => {
    const file = createFileLog({ directory: tmp, now: at, echo: () => undefined, maxBytes: 200 })
    for (let i = 0; i < 10; i++) file.log('warn', 'call refused', { call: `call-${i}`, kind: 'invalid_input' })
    const current = fs.readFileSync(file.path, 'utf8')
    const old = fs.readFileSync(path.join(tmp, 'larder.old.log'), 'utf8')
    expect(Buffer.byteLength(current)).toBeLessThanOrEqual(200)
    expect(old).toContain('call-')
    expect(current).toContain('call-9')
  })

  it('never throws where the folder cannot be written: the line still reaches stderr', () => {
    const blocked = path.join(tmp, 'a-file')
    fs.writeFileSync(blocked, '')
    const echoed: string[] = []
    const file = createFileLog({ directory: path.join(blocked, 'logs'), now: at, echo: (line) => echoed.push(line) })
    expect(() => file.log('error', 'call failed', { call: 'x', kind: 'internal' })).not.toThrow()
    expect(echoed).toHaveLength(1)
  })
})
