// `npm run dev:web`: the built renderer in any browser, on the real core, over the browser host.
//
//   node test/browser-host/cli.ts [--api-url URL] [--data DIR] [--port N] [--seed N]
//
// Without --api-url it starts an Apicbase sandbox of its own (admin endpoints on; a random seed unless --seed is
// given, so a second sandbox never shares its credentials) and seeds the vault through the app's own use cases with
// one library in each state (src/main/demo/seed.ts); it prints a library ready to add and the partner application to
// connect a personal token with. With --api-url it uses that server and begins with an empty vault. --data keeps
// the vault in DIR (else a temporary folder, deleted on exit). The vault passphrase is LARDER_DEV_PASSPHRASE; only
// the temporary demo vault may fall back to the public development default (DEV_PASSPHRASE in assemble.ts), so
// --data without LARDER_DEV_PASSPHRASE refuses to start.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { LogPort } from '../../src/main/app/ports.ts'
import { normalizeApiBaseUrl } from '../../src/main/core/apicbase/index.ts'
import type { DemoWorld } from '../../src/main/demo/seed.ts'
import type { SeededKey } from '../../src/main/demo/seed-keys.ts'
import type { ProviderSandbox } from '../../src/main/sandbox/providers/index.ts'
import type { Sandbox } from '../sandbox/index.ts'
import type { AssembledCore } from './assemble.ts'
import type { BrowserHost } from './host.ts'

const USAGE = 'usage: node test/browser-host/cli.ts [--api-url URL] [--data DIR] [--port N] [--seed N]'

class UsageError extends Error {}
/** A refusal that needs no usage text: the one sentence says what to do. */
class RefusalError extends Error {}

const DATA_NEEDS_PASSPHRASE =
  '--data keeps a real vault: set LARDER_DEV_PASSPHRASE to its passphrase (the public default protects only the temporary demo vault).'

interface Flags {
  readonly apiUrl: string | null
  readonly dataDir: string | null
  readonly port: number
  /** The sandbox's seed; null: a random one. */
  readonly seed: number | null
}

function parseFlags(argv: readonly string[]): Flags {
  let values: { 'api-url'?: string | undefined; data?: string | undefined; port?: string | undefined; seed?: string | undefined; help?: boolean | undefined }
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      options: { 'api-url': { type: 'string' }, data: { type: 'string' }, port: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false
    }))
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  if (values.help) throw new UsageError('')
  let apiUrl: string | null = null
  if (values['api-url'] !== undefined) {
    try {
      apiUrl = normalizeApiBaseUrl(values['api-url'])
    } catch (error) {
      throw new UsageError(`--api-url: ${error instanceof Error ? error.message : 'not a usable URL'}`)
    }
  }
  let port = 0
  if (values.port !== undefined) {
    port = /^\d{1,5}$/.test(values.port) ? Number(values.port) : NaN
    if (!(port >= 0 && port <= 65_535)) throw new UsageError(`--port: expected a port number from 0 to 65535, got "${values.port}"`)
  }
  let seed: number | null = null
  if (values.seed !== undefined) {
    seed = /^\d{1,10}$/.test(values.seed) ? Number(values.seed) : NaN
    if (!(seed >= 0 && seed < 2 ** 32)) throw new UsageError(`--seed: expected a whole number, got "${values.seed}"`)
    if (apiUrl !== null) throw new UsageError('--seed: only the sandbox has a seed; it cannot go with --api-url')
  }
  if (values.data !== undefined && values.data.trim() === '') throw new UsageError('--data: expected a folder path')
  if (values.data !== undefined && !process.env['LARDER_DEV_PASSPHRASE']) throw new RefusalError(DATA_NEEDS_PASSPHRASE)
  return { apiUrl, dataDir: values.data === undefined ? null : path.resolve(values.data), port, seed }
}

async function main(): Promise<void> {
  let flags: Flags
  try {
    flags = parseFlags(process.argv.slice(2))
  } catch (error) {
    if (error instanceof RefusalError) {
      console.error(`dev:web: ${error.message}`)
      process.exit(2)
    }
    if (!(error instanceof UsageError)) throw error
    if (error.message) console.error(`dev:web: ${error.message}`)
    console.error(USAGE)
    process.exit(error.message ? 2 : 0)
  }

  // The built dashboard; LARDER_RENDERER_DIR points tests that run before the build at a stand-in page.
  const rendererDir = path.resolve(process.env['LARDER_RENDERER_DIR'] ?? path.join(import.meta.dirname, '../../out/renderer'))
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    console.error(`dev:web: no built renderer in ${rendererDir}; run "npx electron-vite build" first`)
    process.exit(1)
  }
  const temporary = flags.dataDir === null
  const dataDir = flags.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'larder-web-'))

  // Loaded once the flags are known to be good, so a mistyped flag is answered at once.
  const [{ createDemoClock }, { seedDemo, startDemoSandbox }, { seedKeys }, { startProviderSandbox }, { assembleCore, DEV_PASSPHRASE }, { startBrowserHost }, { sandboxLines, worldLines }, { teamDatabaseOverride }] = await Promise.all([
    import('../../src/main/demo/clock.ts'),
    import('../../src/main/demo/seed.ts'),
    import('../../src/main/demo/seed-keys.ts'),
    import('../../src/main/sandbox/providers/index.ts'),
    import('./assemble.ts'),
    import('./host.ts'),
    import('../../src/main/demo/world-text.ts'),
    import('../../src/main/app/team/team-mode.ts')
  ])
  let sandbox: Sandbox | null = null
  let assembled: AssembledCore | null = null
  let host: BrowserHost | null = null
  let world: DemoWorld | null = null
  let fakes: ProviderSandbox | null = null
  let seededKeys: readonly SeededKey[] = []
  let stopping: Promise<void> | null = null
  const shutdown = (signal: string): Promise<void> => {
    stopping ??= (async () => {
      console.log(`\n${signal}: stopping`)
      await host?.close()
      await assembled?.close()
      await sandbox?.close()
      await fakes?.close()
      if (temporary) fs.rmSync(dataDir, { recursive: true, force: true })
    })()
    return stopping
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      shutdown(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error)
          process.exit(1)
        }
      )
    })
  }

  try {
    if (flags.apiUrl === null) sandbox = await startDemoSandbox({ admin: true, ...(flags.seed === null ? {} : { seed: flags.seed }) })
    // Failed calls go to stderr, by name and kind: where the page's "details are in the log" points here.
    const log: LogPort = (level, event, fields) => console.error(`dev:web: ${level} ${event} ${JSON.stringify(fields)}`)
    const clock = createDemoClock()
    // LARDER_TEAM_DATABASE_URL, as the desktop app reads it: a team vault (--data) reaches its team there instead.
    const teamUrl = teamDatabaseOverride(process.env)
    assembled = await assembleCore({ dataDir, sandboxUrl: sandbox?.url ?? flags.apiUrl ?? undefined, clock, demo: sandbox !== null, ports: { log, ...(teamUrl === undefined ? {} : { teamDatabaseUrl: teamUrl }) } })
    const { core, actions } = assembled
    if (sandbox) {
      if (core.libraries.list().length > 0) {
        console.log(`The vault in ${dataDir} already holds libraries; the new sandbox's libraries were not added.`)
      } else {
        world = await seedDemo({ actions, sandbox, clock })
        // The customer's other systems: SafetyCulture, Airtable and a service token's check address, on loopback too.
        fakes = await startProviderSandbox()
        seededKeys = await seedKeys({ keys: core.keys, fakes, clock })
      }
    }
    host = await startBrowserHost({ app: assembled.app, rendererDir, port: flags.port, recordMessages: false })
  } catch (error) {
    // Ctrl+C while starting closes the vault under the seeding: the signal's own shutdown says so and exits.
    if (stopping !== null) return
    console.error(`dev:web: ${error instanceof Error ? error.message : String(error)}`)
    await shutdown('error').catch(() => undefined)
    process.exit(1)
  }

  console.log('Larder browser host (development only: the dashboard in a browser, on the real core)')
  if (sandbox) for (const line of sandboxLines(sandbox)) console.log(line)
  else console.log(`  API:      ${flags.apiUrl}`)
  console.log(`  data:     ${dataDir}${temporary ? ' (temporary, removed on exit; --data DIR keeps it)' : ''}`)
  console.log(`  vault:    passphrase from ${process.env['LARDER_DEV_PASSPHRASE'] ? 'LARDER_DEV_PASSPHRASE' : `the public dev default "${DEV_PASSPHRASE}" (temporary vault only)`}`)
  if (sandbox && world) for (const line of worldLines(sandbox, world)) console.log(line)
  if (fakes !== null) {
    console.log(`  other systems: SafetyCulture ${fakes.safetyCulture.url}, Airtable ${fakes.airtable.url}, service-token check ${fakes.checkUrl.url}`)
    for (const key of seededKeys) console.log(`    ${key.name}: ${key.status} (${key.why})`)
  }
  console.log('')
  console.log('Open this URL (it carries the bridge secret in its fragment; Ctrl+C stops):')
  // The URL is the last line: whoever reads the output (a person, a test) has everything once it appears.
  console.log(host.urlWithSecret)
}

await main()
