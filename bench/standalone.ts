// The command line of a benchmark that also runs on its own (`node bench/<name>.ts [--json]`): the table on stdout,
// or with --json one JSON object on stdout and the table on stderr; exit 2 when a prerequisite is missing.
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Goal } from './measure.ts'

export interface Standalone<Options, Result extends { readonly goals: readonly Goal[]; readonly durationMs: number }> {
  /** Its name in messages ("dashboard bench: …") and in the JSON schema ("larder-bench-dashboard/1"). */
  readonly name: string
  /** The caller's `import.meta.url`: the command runs only when that file is the one node was started with. */
  readonly moduleUrl: string
  readonly parseArgs: (argv: readonly string[]) => { readonly json: boolean; readonly options: Options }
  readonly run: (options: Options & { readonly log: (line: string) => void }) => Promise<Result>
  readonly format: (result: Result) => string
  /** The error a missing build or Chromium throws. */
  readonly prerequisite: new (...args: never[]) => Error
}

export function runStandalone<Options, Result extends { readonly goals: readonly Goal[]; readonly durationMs: number }>(bench: Standalone<Options, Result>): void {
  if (process.argv[1] === undefined || path.resolve(process.argv[1]) !== fileURLToPath(bench.moduleUrl)) return
  const main = async (): Promise<void> => {
    const { json, options } = bench.parseArgs(process.argv.slice(2))
    const log = (line: string): void => void process.stderr.write(`${line}\n`)
    const result = await bench.run({ ...options, log })
    const text = bench.format(result)
    if (!json) {
      process.stdout.write(`\n${text}(${(result.durationMs / 1000).toFixed(1)} s)\n`)
      return
    }
    process.stderr.write(`\n${text}`)
    const output = {
      schema: `larder-bench-${bench.name}/1`,
      at: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: os.cpus().length,
      options,
      allMet: result.goals.every((g) => g.met),
      ...result
    }
    process.stdout.write(`${JSON.stringify(output)}\n`)
  }
  main().catch((error: unknown) => {
    if (error instanceof bench.prerequisite) {
      process.stderr.write(`${bench.name} bench: ${error.message}\n`)
      process.exitCode = 2
      return
    }
    process.stderr.write(`${bench.name} bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exitCode = 1
  })
}

/** A flag's value as a whole number of at least `min`, or an error naming the flag. */
export function wholeNumber(flag: string, value: string, min = 1): number {
  if (!/^\d+$/.test(value) || Number(value) < min) throw new Error(`${flag} needs a whole number ≥ ${min}, got "${value}"`)
  return Number(value)
}

/**
 * The built renderer and Chromium a browser benchmark needs (it builds nothing and downloads nothing): their paths,
 * or the benchmark's prerequisite error naming what is missing.
 */
export function browserPrerequisites(
  options: { readonly rendererDir?: string; readonly executablePath?: string },
  missing: (message: string) => Error
): { readonly rendererDir: string; readonly executablePath: string } {
  const rendererDir = path.resolve(options.rendererDir ?? 'out/renderer')
  const executablePath = options.executablePath ?? process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
  const index = path.join(rendererDir, 'index.html')
  if (!existsSync(index)) throw missing(`${index} is missing. This benchmark builds nothing: run \`npx electron-vite build\` first.`)
  if (!existsSync(executablePath)) throw missing(`no Chromium at ${executablePath} (set CHROMIUM_PATH)`)
  return { rendererDir, executablePath }
}
