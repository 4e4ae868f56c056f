// The `larder` command starts in tens of milliseconds only if its bundle holds nothing but its own code: built here
// with the project's own rolldown config, every module in it must be the command's, the endpoint's client side or
// the shared words, and everything it imports a Node built-in (the agent, loaded only by `larder agent`, aside).
import path from 'node:path'
import { build, type OutputChunk } from 'rolldown'
import { describe, expect, it } from 'vitest'
import { cliBuildOptions } from '../../../rolldown.cli.config.ts'

const root = path.resolve(import.meta.dirname, '../../..')
const ALLOWED = [/^src\/main\/cli\//, /^src\/main\/endpoint\/(client|paths|checks|wire|proof)\.ts$/, /^src\/shared\/(terminal-words|status-words)\.ts$/]

describe('the larder command bundle', () => {
  it('holds only the command, the endpoint client and the shared words, and imports only Node built-ins', async () => {
    const { output } = await build({ ...cliBuildOptions, cwd: root, write: false })
    const chunks = output.filter((item): item is OutputChunk => item.type === 'chunk')
    expect(chunks.map((chunk) => chunk.fileName)).toEqual(['larder.js'])
    const [chunk] = chunks as [OutputChunk]
    const modules = chunk.moduleIds.map((id) => path.relative(root, id).split(path.sep).join('/'))
    const foreign = modules.filter((id) => !ALLOWED.some((allowed) => allowed.test(id)))
    expect(foreign).toEqual([])
    expect(modules).toContain('src/main/cli/run.ts')
    const imports = [...chunk.imports, ...chunk.dynamicImports]
    expect(imports.filter((id) => !id.startsWith('node:') && !/agent\/main\.ts$/.test(id))).toEqual([])
    // Nothing of the schema library, even inlined.
    expect(chunk.code).not.toMatch(/\bzod\b|\bz\.object\(/)
  })
})
