// A process that tries to take a data folder (for the lock's tests): prints one JSON line saying whether it won,
// then, if it won, serves until its stdin closes (or it is killed). Usage: node taker-child.ts DATA_DIR [START_AT_MS]
import { takeDataFolder } from '../../../src/main/endpoint/lock.ts'

const dataDir = process.argv[2] as string
const startAt = Number(process.argv[3] ?? 0)
// Started together, the takers race from the same instant rather than from when each process finished loading.
if (startAt > Date.now()) await new Promise((resolve) => setTimeout(resolve, startAt - Date.now()))
try {
  const lock = await takeDataFolder({ dataDir, holder: () => ({ host: 'agent', pid: process.pid, version: 'child', vault: 'open' }) })
  const echo = async (input: unknown) => ({ ok: true as const, value: { pid: process.pid, input } })
  lock.serve({ ls: echo, status: echo, token: echo, env: echo, refresh: echo, lock: echo, forget: echo, import: echo, 'import-cancel': echo, backup: echo, restore: echo, 'export-config': echo, 'team-status': echo, 'team-create': echo, 'team-join': echo, 'team-approve': echo, 'team-leave': echo, 'team-take-home': echo })
  process.stdout.write(`${JSON.stringify({ won: true, pid: process.pid })}\n`)
  process.stdin.on('end', () => void lock.close().then(() => process.exit(0)))
  process.stdin.resume()
} catch (error) {
  const facts = error as { name?: string; pid?: number | null; message?: string }
  process.stdout.write(`${JSON.stringify({ won: false, pid: process.pid, error: facts.name, holderPid: facts.pid, message: facts.message })}\n`)
  process.exit(10)
}
