// How library secrets are sealed: each value carries its library and field inside the ciphertext, so a
// value copied into another record (or another field) does not open there.
import type { LibrarySecrets } from '../model.ts'
import type { Cipher } from './cipher.ts'
import { LibrarySecretsError } from './errors.ts'
import type { SealedSecrets, StoredLibrary } from './file-format.ts'
import { SECRET_FIELDS, type SecretField } from './library-checks.ts'

const SEAL_CONTEXT = 'larder-secret-v1'
const SEP = '\u001f'

export function sealSecret(cipher: Cipher, libraryId: string, field: SecretField, value: string): Promise<string> {
  return cipher.encrypt([SEAL_CONTEXT, libraryId, field, value].join(SEP))
}

export async function sealSecrets(cipher: Cipher, libraryId: string, secrets: LibrarySecrets): Promise<SealedSecrets> {
  return Object.freeze({
    clientSecret: await sealSecret(cipher, libraryId, 'clientSecret', secrets.clientSecret),
    accessToken: await sealSecret(cipher, libraryId, 'accessToken', secrets.accessToken),
    refreshToken: await sealSecret(cipher, libraryId, 'refreshToken', secrets.refreshToken)
  })
}

/** Decrypts one value and checks it was sealed for this library and field; LibrarySecretsError otherwise. */
export async function openSecret(cipher: Cipher, library: StoredLibrary, field: SecretField): Promise<string> {
  let plain: string
  try {
    plain = await cipher.decrypt(library.secrets[field])
  } catch (error) {
    throw new LibrarySecretsError(library.meta.id, library.meta.name, field, error)
  }
  const prefix = [SEAL_CONTEXT, library.meta.id, field, ''].join(SEP)
  if (typeof plain !== 'string' || !plain.startsWith(prefix)) {
    throw new LibrarySecretsError(library.meta.id, library.meta.name, field, new Error('the value was sealed for another library or field'))
  }
  return plain.slice(prefix.length)
}

export async function openSecrets<F extends SecretField = SecretField>(
  cipher: Cipher,
  library: StoredLibrary,
  fields: readonly F[] = SECRET_FIELDS as readonly SecretField[] as readonly F[]
): Promise<Pick<LibrarySecrets, F>> {
  const values: Partial<Record<SecretField, string>> = {}
  for (const field of fields) values[field] = await openSecret(cipher, library, field)
  return values as Pick<LibrarySecrets, F>
}
