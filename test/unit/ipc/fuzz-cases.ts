// The malformed inputs the handler fuzz sends: bad values for each kind of field, and the cases built from a call's
// valid input (its schema says which fields it has). Pure: nothing here talks to the core.
import { z } from 'zod'
import { calls, type CallInput, type CallName } from '../../../src/shared/contract.ts'

export type ValidInputs = { readonly [N in CallName]: CallInput<N> }

const MB = 1024 * 1024
export const HUGE = 'x'.repeat(MB)

/** A table of calls with an input schema each (the bridge's, the terminal's). */
export type InputTable = Readonly<Record<string, { readonly input: z.ZodObject }>>

let source: (() => Readonly<Record<string, object>>) | null = null
let table: InputTable = calls
/** Where the cases find each call's valid input (it names the test's own library and sandbox). */
export function fuzzFrom(valid: () => ValidInputs): void {
  source = valid
  table = calls
}
/** The same cases over another table of calls (the terminal's). */
export function fuzzTableFrom(inputs: InputTable, valid: () => Readonly<Record<string, object>>): void {
  source = valid
  table = inputs
}
function inputOf(name: string): z.ZodObject {
  const entry = table[name]
  if (!entry) throw new Error(`no call ${name} in the fuzzed table`)
  return entry.input
}
function validOf(name: string): object {
  if (source === null) throw new Error('fuzzFrom(validInputs) first')
  const valid = source()[name]
  if (!valid) throw new Error(`no valid input for ${name}`)
  return valid
}

// ---- malformed values -------------------------------------------------------------------------------------

interface Bad {
  readonly label: string
  readonly value: unknown
  /** Where below the field the refusal points (an element of a list: ".0"); the field itself when absent. */
  readonly at?: string
}

function deepObject(depth: number): unknown {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

function deepArray(depth: number): unknown {
  let value: unknown = []
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

/** Built from JSON text, so `__proto__` and friends are own properties, as they arrive from any transport. */
const PROTO_VALUES: readonly Bad[] = [
  { label: 'JSON {"__proto__": {...}}', value: JSON.parse('{"__proto__": {"polluted": "yes", "isAdmin": true}}') },
  { label: 'JSON {"constructor": {"prototype": {...}}}', value: JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}') },
  { label: 'JSON {"prototype": {...}}', value: JSON.parse('{"prototype": {"polluted": "yes"}}') }
]

const NOT_STRING: readonly Bad[] = [
  { label: 'null', value: null },
  { label: 'number 42', value: 42 },
  { label: 'NaN', value: NaN },
  { label: 'Infinity', value: Infinity },
  { label: 'true', value: true },
  { label: 'empty array', value: [] },
  { label: 'array of strings', value: ['a', 'b'] },
  { label: 'object', value: { value: 'x' } },
  { label: 'bigint', value: 10n },
  { label: 'deeply nested object', value: deepObject(10_000) },
  { label: 'deeply nested array', value: deepArray(10_000) },
  ...PROTO_VALUES
]

const NOT_NUMBER: readonly Bad[] = [
  { label: 'NaN', value: NaN },
  { label: 'Infinity', value: Infinity },
  { label: '-Infinity', value: -Infinity },
  { label: '-1', value: -1 },
  { label: '1.5', value: 1.5 },
  { label: '1e300', value: 1e300 },
  { label: 'numeric string "10"', value: '10' },
  { label: '1 MB string', value: HUGE },
  { label: 'null', value: null },
  { label: 'true', value: true },
  { label: 'array [5]', value: [5] },
  { label: 'object', value: { value: 5 } },
  { label: 'deeply nested object', value: deepObject(10_000) },
  ...PROTO_VALUES
]

const NOT_BOOLEAN: readonly Bad[] = [
  { label: '"true"', value: 'true' },
  { label: '1', value: 1 },
  { label: '0', value: 0 },
  { label: 'NaN', value: NaN },
  { label: 'null', value: null },
  { label: 'empty array', value: [] },
  { label: 'object', value: { value: true } },
  ...PROTO_VALUES
]

/** Values no field of the given schema accepts. */
export function badValuesFor(schema: z.ZodType): readonly Bad[] {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema
  // A field that may be null: every value its inner schema refuses but null.
  if (inner instanceof z.ZodNullable) return badValuesFor(inner.unwrap() as z.ZodType).filter((bad) => bad.value !== null)
  if (inner instanceof z.ZodString) {
    const tooLong = { label: '1 MB string', value: HUGE }
    // An empty string is malformed only where the field demands a minimum length (ids).
    const minLength = inner.minLength ?? 0
    return [tooLong, ...(minLength > 0 ? [{ label: 'empty string', value: '' }] : []), ...NOT_STRING]
  }
  if (inner instanceof z.ZodEnum) {
    return [
      { label: 'unknown member "nope"', value: 'nope' },
      { label: 'member in the wrong case', value: String(inner.options[0]).toUpperCase() },
      { label: 'empty string', value: '' },
      { label: '1 MB string', value: HUGE },
      ...NOT_STRING
    ]
  }
  if (inner instanceof z.ZodNumber) return NOT_NUMBER
  if (inner instanceof z.ZodArray) {
    const element = inner.element as z.ZodType
    // Length limits are found by asking the schema, so a list without one is not sent as if it were malformed.
    const refused = (value: unknown[]): boolean => !inner.safeParse(value).success
    const long = Array.from({ length: 100_000 }, () => 'a')
    return [
      { label: 'a string instead of a list', value: 'x' },
      { label: 'a 1 MB string instead of a list', value: HUGE },
      { label: 'number', value: 1 },
      { label: 'NaN', value: NaN },
      { label: 'null', value: null },
      { label: 'true', value: true },
      { label: 'an object instead of a list', value: { 0: 'a', length: 1 } },
      ...(refused([]) ? [{ label: 'an empty list', value: [] }] : []),
      ...(refused(long) ? [{ label: 'a list of 100 000', value: long }] : []),
      ...PROTO_VALUES,
      // A broken element: the refusal names it (field.0).
      { label: 'a deeply nested list', value: deepArray(10_000), at: '.0' },
      ...badValuesFor(element).map((bad) => ({ label: `a list holding ${bad.label}`, value: [bad.value], at: `.0${bad.at ?? ''}` }))
    ]
  }
  if (inner instanceof z.ZodBoolean) return NOT_BOOLEAN
  if (inner instanceof z.ZodObject) {
    // An object with a required field points its refusal at that field, left out (zod checks the known keys first).
    const required = Object.entries(inner.shape).find(([, field]) => !(field instanceof z.ZodOptional))?.[0]
    const inside = required === undefined ? {} : { at: `.${required}` }
    return [
      { label: 'string', value: 'x' },
      { label: '1 MB string', value: HUGE },
      { label: 'number', value: 1 },
      { label: 'NaN', value: NaN },
      { label: 'null', value: null },
      { label: 'array', value: [] },
      { label: 'true', value: true },
      { label: 'object with an unknown key', value: { surprise: true }, ...inside },
      ...PROTO_VALUES.map((bad) => ({ ...bad, ...inside }))
    ]
  }
  throw new Error(`the fuzz does not know how to break a ${inner.constructor.name}; teach badValuesFor`)
}

// ---- cases ------------------------------------------------------------------------------------------------

export interface Case {
  readonly label: string
  readonly input: unknown
  /** The field the error must name. */
  readonly field: string
  /** Words the message must contain besides the call's name and the field (e.g. an unexpected key). */
  readonly mentions?: string
  /** Where the message may not be short: it names a key the caller chose. */
  readonly longMessage?: boolean
}

/** Every field path of an object schema (nested objects included), with its schema and whether it may be left out. */
export function fieldsOf(schema: z.ZodObject, prefix = ''): { path: string; schema: z.ZodType; optional: boolean }[] {
  return Object.entries(schema.shape).flatMap(([key, field]) => {
    const fieldSchema = field as z.ZodType
    const here = { path: prefix + key, schema: fieldSchema, optional: fieldSchema instanceof z.ZodOptional }
    const inner = fieldSchema instanceof z.ZodOptional ? fieldSchema.unwrap() : fieldSchema
    return inner instanceof z.ZodObject ? [here, ...fieldsOf(inner, `${here.path}.`)] : [here]
  })
}

function withField(input: object, fieldPath: string, value: unknown, remove = false): Record<string, unknown> {
  const copy = structuredClone(input) as Record<string, unknown>
  const keys = fieldPath.split('.')
  let target = copy
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>
  const last = keys[keys.length - 1] ?? ''
  if (remove) delete target[last]
  // Set as an own data property even for keys like __proto__.
  else Object.defineProperty(target, last, { value, enumerable: true, writable: true, configurable: true })
  return copy
}

function fromJson(base: object, extra: string): unknown {
  const text = JSON.stringify(base)
  return JSON.parse(text === '{}' ? `{${extra}}` : `${text.slice(0, -1)},${extra}}`)
}

export function topLevelCases(name: string): Case[] {
  const acceptsEmpty = inputOf(name).safeParse({}).success
  const field = 'input'
  return [
    // A missing argument reads as {}; where {} is itself invalid it must be refused. null is never an argument.
    ...(acceptsEmpty
      ? []
      : [
          { label: 'undefined', input: undefined, field: requiredFieldOf(name) },
          { label: 'empty object', input: {}, field: requiredFieldOf(name) }
        ]),
    { label: 'null', input: null, field },
    { label: 'a string', input: 'app.info', field },
    { label: 'an empty string', input: '', field },
    { label: 'a 1 MB string', input: HUGE, field },
    { label: 'the number 0', input: 0, field },
    { label: 'NaN', input: NaN, field },
    { label: 'Infinity', input: Infinity, field },
    { label: 'true', input: true, field },
    { label: 'false', input: false, field },
    { label: 'an empty array', input: [], field },
    { label: 'an array holding the valid input', input: [validOf(name)], field },
    { label: 'a bigint', input: 1n, field },
    { label: 'a function', input: () => ({}), field },
    { label: 'a deeply nested array', input: deepArray(10_000), field }
  ]
}

function requiredFieldOf(name: string): string {
  const required = fieldsOf(inputOf(name)).find((f) => !f.optional && !f.path.includes('.'))
  if (!required) throw new Error(`${name} has no required field`)
  return required.path
}

export function fieldCases(name: string): Case[] {
  const base = validOf(name)
  return fieldsOf(inputOf(name)).flatMap(({ path: fieldPath, schema }) =>
    badValuesFor(schema).map((bad) => ({
      label: `${fieldPath} = ${bad.label}`,
      input: withField(base, fieldPath, bad.value),
      field: `${fieldPath}${bad.at ?? ''}`,
      ...(bad.label === 'object with an unknown key' && bad.at === undefined ? { mentions: 'surprise' } : {})
    }))
  )
}

export function missingFieldCases(name: string): Case[] {
  const base = validOf(name)
  return fieldsOf(inputOf(name))
    .filter((f) => !f.optional && !f.path.includes('.'))
    .map((f) => ({ label: `without ${f.path}`, input: withField(base, f.path, undefined, true), field: f.path }))
}

export function extraKeyCases(name: string): Case[] {
  const base = validOf(name)
  const field = 'input'
  return [
    { label: 'an extra field', input: { ...base, extra: 'x' }, field, mentions: 'extra' },
    { label: 'an extra field holding 1 MB', input: { ...base, payload: HUGE }, field, mentions: 'payload' },
    { label: 'an extra nested object 10 000 deep', input: { ...base, nested: deepObject(10_000) }, field, mentions: 'nested' },
    { label: 'an extra array', input: { ...base, list: [1, 2, 3] }, field, mentions: 'list' },
    { label: 'NaN in an extra field', input: { ...base, n: NaN }, field, mentions: 'n' },
    { label: 'own __proto__ key (from JSON)', input: fromJson(base, '"__proto__": {"polluted": "yes", "id": "lib"}'), field, mentions: '__proto__' },
    { label: 'own constructor key (from JSON)', input: fromJson(base, '"constructor": {"prototype": {"polluted": "yes"}}'), field, mentions: 'constructor' },
    { label: 'own prototype key (from JSON)', input: fromJson(base, '"prototype": {"polluted": "yes"}'), field, mentions: 'prototype' },
    { label: 'own hasOwnProperty and toString keys (from JSON)', input: fromJson(base, '"hasOwnProperty": 1, "toString": "x"'), field, mentions: 'hasOwnProperty' },
    { label: '10 000 extra keys', input: { ...base, ...Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])) }, field, mentions: 'k0', longMessage: true },
    { label: 'an extra key 1 MB long', input: { ...base, [HUGE]: 1 }, field, longMessage: true }
  ]
}

/** Objects that are not plain: JSON cannot carry them, but Electron's structured clone can. */
export function nonPlainCases(_name: string): Case[] {
  // Refused as a whole before any field is read: only plain data crosses the bridge.
  const field = 'input'
  return [
    { label: 'a Date', input: new Date(0), field },
    { label: 'a Map', input: new Map([['id', 'x']]), field },
    { label: 'a Set', input: new Set(['id']), field },
    { label: 'a RegExp', input: /id/, field },
    { label: 'a Uint8Array', input: new Uint8Array(8), field },
    { label: 'an Error', input: new Error('id'), field },
    { label: 'a class instance', input: new (class Input {})(), field }
  ]
}

/** The same cases, each with its message length checked: no message may echo back what the caller sent. */
export function echoCases(name: string): Case[] {
  return extraKeyCases(name)
    .filter((c) => c.longMessage)
    .map((c) => ({ label: c.label, input: c.input, field: c.field }))
}

/** Runs the cases; answers a description of every case the handler got wrong. */
