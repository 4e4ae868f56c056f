// The bases an Airtable key reaches, for the person noting them (GET /v0/meta/bases, which needs schema.bases:read).
// Anything but a list becomes the API's kind of failure with Larder's sentence (never what the server said).
import type { KeyBasesView } from '../../../shared/contract.ts'
import { ApiError } from '../../core/errors.ts'
import type { KeyService } from '../../core/keys/key-service.ts'

export async function keyBases(keys: KeyService, id: string): Promise<KeyBasesView> {
  const answer = await keys.bases(id)
  switch (answer.outcome) {
    case 'ok':
      return { bases: answer.bases.map(({ id, name, permissionLevel }) => ({ id, name, permissionLevel })), complete: answer.complete }
    case 'forbidden':
      throw new ApiError('forbidden', answer.message, { status: answer.status })
    case 'refused':
      throw new ApiError('unauthorized', answer.causes, { status: answer.status })
    case 'rate_limited':
      throw new ApiError('rate_limited', `Airtable asks to wait: try again after ${new Date(answer.retryAt).toISOString()}.`, { retryAt: answer.retryAt })
    case 'unreachable':
      throw new ApiError('network', answer.message)
  }
}
