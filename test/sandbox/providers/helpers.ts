// Real requests over loopback for the provider fakes' tests.

import { request as httpRequest } from 'node:http'
import type { Answer } from '../test-helpers.ts'
import { answer } from '../test-helpers.ts'

export type { Answer }
export { answer, fetchError } from '../test-helpers.ts'

export async function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return answer(await fetch(url, { headers }))
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` }
}

/** A request fetch will not send (a GET with a body): node:http, answered as status and text. */
export function rawRequest(url: string, method: string, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { 'Content-Length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** The `error` object of an Airtable-style body. */
export function airtableError(a: Answer): { type: unknown; message: unknown } {
  const error = a.body['error']
  if (typeof error !== 'object' || error === null) throw new Error(`no error object in ${a.status} ${a.text}`)
  return { type: 'type' in error ? error.type : undefined, message: 'message' in error ? error.message : undefined }
}

export const DAY = 24 * 60 * 60 * 1000
export const START = Date.UTC(2026, 0, 5, 9, 0, 0)
