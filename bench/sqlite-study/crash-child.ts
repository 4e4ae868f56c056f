// The process the crash check kills: opens the store, then refreshes every library over and over, 16 at a time
// (one request per library in flight), as the engine would: read the refresh token, "send" it, commit the
// rotation, and report each step on stdout with a synchronous write (a pipe keeps what was written when the
// process dies). The bench passphrase and the chain key come in the environment. Usage: node bench/sqlite-study/crash-child.ts --kind=<store kind> --dir=<folder>
import { createPassphraseCipher } from '../../src/main/core/vault/passphrase-cipher.ts'
import { CHAIN_KEY_ENV, PASSPHRASE_ENV, chainNext, encodeLine, fingerprint, readCipherHeader, type ChildLine } from './crash-protocol.ts'
import { issuedPair, openSubject, STORE_KINDS, type StoreKind } from './subjects.ts'

const CONCURRENCY = 16

function argument(name: string): string {
  const value = process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3)
  if (value === undefined) throw new Error(`--${name} is required`)
  return value
}

/** Synchronous for a pipe on Linux (it waits while the pipe is full): once it returns, the line survives a kill. */
function report(line: ChildLine): void {
  process.stdout.write(encodeLine(line))
}

async function main(): Promise<void> {
  const kind = argument('kind') as StoreKind
  if (!STORE_KINDS.includes(kind)) throw new Error(`--kind must be one of ${STORE_KINDS.join(', ')}`)
  const dir = argument('dir')
  const key = Buffer.from(process.env[CHAIN_KEY_ENV] ?? '', 'hex')
  if (key.length !== 32) throw new Error(`${CHAIN_KEY_ENV} must hold 32 bytes in hex`)
  const { cipher } = await createPassphraseCipher(process.env[PASSPHRASE_ENV] ?? '', readCipherHeader(dir))
  const { store } = await openSubject(kind, dir, cipher)
  const ids = store.list().map((meta) => meta.id)
  const refused = new Set<string>()
  report({ event: 'ready' })
  // Each worker owns its own libraries: never two requests of one token family at once.
  const worker = async (offset: number): Promise<void> => {
    const own = ids.filter((_, index) => index % CONCURRENCY === offset)
    for (let turn = 0; ; turn = (turn + 1) % own.length) {
      const id = own[turn]!
      if (refused.has(id)) {
        await new Promise((resolve) => setImmediate(resolve))
        continue
      }
      const { refreshToken } = await store.secrets(id, ['refreshToken'])
      if (store.isSpent(refreshToken)) {
        // The app refuses to send a token it knows is spent (and asks for re-authorization).
        refused.add(id)
        report({ event: 'spent', id, sent: fingerprint(refreshToken) })
        continue
      }
      report({ event: 'send', id, sent: fingerprint(refreshToken) })
      await store.commitRotation(id, { sentRefreshToken: refreshToken, pair: issuedPair(chainNext(key, refreshToken)) })
      report({ event: 'ack', id, sent: fingerprint(refreshToken) })
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, (_, offset) => worker(offset)))
}

await main()
