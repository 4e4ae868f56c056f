// A loopback TCP proxy in front of a server (the team's PostgreSQL), one per member in the team tests, that can cut
// the member off: every open connection reset at once and new ones refused until healed, as a network partition or
// a pulled cable would look to the member (its server stays up for the others).
import net from 'node:net'

export interface TcpCut {
  readonly port: number
  /** Resets every connection through the proxy and refuses new ones until heal(). */
  cut(): void
  heal(): void
  /** Connections made through the proxy so far. */
  connections(): number
  close(): Promise<void>
}

export async function startTcpCut(target: { readonly host: string; readonly port: number }): Promise<TcpCut> {
  const open = new Set<net.Socket>()
  let cut = false
  let made = 0
  const server = net.createServer((client) => {
    if (cut) {
      client.resetAndDestroy()
      return
    }
    made += 1
    const upstream = net.connect(target.port, target.host)
    open.add(client)
    open.add(upstream)
    const drop = (): void => {
      open.delete(client)
      open.delete(upstream)
      client.destroy()
      upstream.destroy()
    }
    client.on('error', drop).on('close', drop)
    upstream.on('error', drop).on('close', drop)
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port')
  return {
    port: address.port,
    cut() {
      cut = true
      for (const socket of open) socket.resetAndDestroy()
      open.clear()
    },
    heal() {
      cut = false
    },
    connections: () => made,
    async close() {
      for (const socket of open) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
