// A throwaway CA and server certificates for TLS tests (the team database's), made with the openssl command: Node
// verifies certificates but cannot issue them. Keys are P-256, valid two days, in a temp folder the caller removes.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export interface TestCa {
  readonly dir: string
  readonly caPem: string
  /** A server certificate and key signed by this CA, for the given subjectAltName entries (e.g. DNS:localhost, IP:127.0.0.1). */
  issue(name: string, altNames: readonly string[]): { readonly certFile: string; readonly keyFile: string }
  remove(): void
}

const openssl = (dir: string, args: readonly string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
}

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export function makeTestCa(): TestCa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-ca-'))
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Larder test CA'])
  return {
    dir,
    caPem: fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8'),
    issue(name, altNames) {
      const ext = path.join(dir, `${name}.ext`)
      fs.writeFileSync(ext, `subjectAltName=${altNames.join(',')}\n`)
      openssl(dir, ['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`])
      openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', ext])
      return { certFile: path.join(dir, `${name}.crt`), keyFile: path.join(dir, `${name}.key`) }
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true })
  }
}
