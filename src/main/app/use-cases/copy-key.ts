// Putting a key of another system on the clipboard in the asked format (copy-formats as the terminal hands them out:
// key-text.ts). Never once the key is revoked, expired, inactive or refused, nor for a record changed outside Larder;
// the copy counts as a use (it keeps a SafetyCulture token from going inactive) and is audited, once it reached the
// clipboard. Only a receipt with a masked preview comes back.
import type { CopyFormat, KeyCopyReceipt } from '../../../shared/contract.ts'
import type { TokenFormat } from '../../../shared/terminal-words.ts'
import { InputError } from '../../core/errors.ts'
import type { KeyService } from '../../core/keys/key-service.ts'
import type { SecretSink } from '../../core/larder-core.ts'
import { tokenPreview } from '../../core/model.ts'
import type { Vault } from '../../core/vault/index.ts'
import { assertKeyFormat, keyText } from './key-text.ts'

export interface CopyKeyPorts {
  readonly keys: KeyService
  readonly vault: Pick<Vault, 'key' | 'settings'>
  readonly sink: SecretSink
}

/** The clipboard's formats as the terminal names them. */
const AS_TOKEN_FORMAT: Readonly<Record<CopyFormat, TokenFormat>> = { token: 'raw', header: 'header', env: 'env', curl: 'curl' }

export async function copyKey(ports: CopyKeyPorts, id: string, format: CopyFormat): Promise<KeyCopyReceipt> {
  const meta = ports.vault.key(id)
  if (meta === undefined) throw new InputError('id', 'No such key in Larder.')
  const asText = AS_TOKEN_FORMAT[format]
  assertKeyFormat(meta, asText)
  const clearAfterMs = ports.vault.settings().clipboardClearMs
  return ports.keys.useToken(id, 'copied', `format: ${format}`, async (token) => {
    const { clearsAt, written } = ports.sink.copySecret(keyText(meta, token, asText), { clearAfterMs })
    // A copy that never reached the clipboard must not be reported (or audited) as done.
    await written
    return { keyId: id, format, preview: tokenPreview(token), clearsAt }
  })
}
