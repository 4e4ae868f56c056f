// A batch's journal lines go to the disk as bytes built straight from each record's JSON. A token preview holds "…",
// so a record's JSON is a two-byte string: the batch used to be built as one text (each line prefixed, then all joined)
// and encoded only then, which copied every record twice more per batch. The bytes must be exactly the old text's,
// so journals written before and after read the same.
import fs from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DurableAppender } from '../../../src/main/core/vault/durable-fs.ts'
import { encodeJournalLine, encodeJournalLines, readJournal, type JournalOp } from '../../../src/main/core/vault/journal.ts'
import { makeMeta, makePair, makeSecrets, newCipher, open, tempDir, vaultPath } from './fixtures.ts'

afterEach(() => {
  vi.restoreAllMocks()
})

const generation = 'a'.repeat(32)
const meta = { ...makeMeta('lib-1', { name: 'Bäckerei Ünal — 東京' }), tokenPreview: 'abcd…wxyz' }
const ops: JournalOp[] = [
  { spent: ['0'.repeat(64), 'f'.repeat(64)] },
  { library: { meta, secrets: { clientSecret: 'v1:x:y:z', accessToken: 'v1:a:b:c', refreshToken: 'v1:d:e:f' } } },
  { drop: 'gone-1' },
  { library: { meta: { ...meta, id: 'lib-2', name: 'Plain' }, secrets: { clientSecret: 'c', accessToken: 'a', refreshToken: 'r' } } }
]

describe('journal: a batch encoded as bytes', () => {
  it('writes exactly the bytes of the lines as text, so journals read the same either way', () => {
    const asText = Buffer.from(ops.map((op) => encodeJournalLine(generation, op)).join(''), 'utf8')
    expect(encodeJournalLines(generation, ops).equals(asText)).toBe(true)
    expect(encodeJournalLines(generation, []).length).toBe(0)
  })

  it('hands the journal a batch of rotations as bytes, not as one joined text, and reads it back', async () => {
    const dir = tempDir()
    const vault = await open(dir, await newCipher(), { commitWindowMs: 5 })
    for (const id of ['a', 'b', 'c']) await vault.add(makeMeta(id), makeSecrets(id))
    const appended = vi.spyOn(DurableAppender.prototype, 'append')
    await Promise.all(
      ['a', 'b', 'c'].map(async (id) => {
        const { refreshToken } = await vault.secrets(id, ['refreshToken'])
        await vault.commitRotation(id, { sentRefreshToken: refreshToken, pair: makePair(`${id}2`) })
      })
    )
    const journalAppends = appended.mock.calls.filter((_call, index) => (appended.mock.contexts[index] as DurableAppender).path.endsWith('.journal'))
    expect(journalAppends.length).toBeGreaterThan(0)
    // Was a string: the whole batch joined into one two-byte text before it was encoded.
    expect(journalAppends.filter(([data]) => typeof data === 'string')).toHaveLength(0)
    const journal = `${vaultPath(dir)}.journal`
    const firstLine = JSON.parse(fs.readFileSync(journal, 'utf8').split('\n')[0]!) as { j: string }
    const read = readJournal(journal, firstLine.j)
    // The latest line of each id (the adds came before the rotations).
    const rotated = [...new Map(read.flatMap((op) => ('library' in op ? [[op.library.meta.id, op.library.meta] as const] : []))).values()]
    expect(rotated.map((m) => m.id)).toEqual(expect.arrayContaining(['a', 'b', 'c']))
    for (const m of rotated) expect(m.tokenPreview).toBe(vault.get(m.id)!.tokenPreview)
    expect(rotated.some((m) => m.tokenPreview.includes('…'))).toBe(true)
  })
})
