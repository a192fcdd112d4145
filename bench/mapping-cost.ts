/**
 * CPU cost of turning a page of amoCRM deals into model objects (zod validation + mapping),
 * relative to JSON.parse of the same bytes. Target: validation + mapping ≤ 3 × JSON.parse.
 */
import { parseResponse } from 'crmkit'
import { setupAmoCrmEmulator } from 'crmkit/amocrm/testing/node'
import { toDeal } from '../adapters/amocrm/mappers/deal.js'
import { WireLead, halList } from '../adapters/amocrm/wire.js'

export interface MappingResult {
  bytesPerPage: number
  parseUsPerEntity: number
  mapUsPerEntity: number
  ratio: number
}

export async function benchMapping(iterations = 60, rounds = 10): Promise<MappingResult> {
  const { emulator, close } = setupAmoCrmEmulator({ seed: 3, size: { deals: 250, contacts: 250, companies: 20, users: 8 }, rateLimit: false })
  const res = await fetch(`${emulator.baseUrl}/api/v4/leads?limit=250&with=contacts,loss_reason`, {
    headers: { Authorization: `Bearer ${emulator.longLivedToken}` },
  })
  const text = await res.text()
  close()
  const schema = halList('leads', WireLead)
  const entities = (JSON.parse(text) as { _embedded: { leads: unknown[] } })._embedded.leads.length

  // Interleaved rounds, averaged: both sides pay their own garbage collection (a real cost of
  // each), and drift in the machine's load falls on both alike instead of on whichever ran second.
  const round = (fn: () => void) => {
    const t = performance.now()
    for (let i = 0; i < iterations; i++) fn()
    return (performance.now() - t) / iterations
  }
  const parse = () => JSON.parse(text)
  const full = () => {
    const page = parseResponse(schema, JSON.parse(text), 'amocrm', 'bench')
    for (const w of page._embedded.leads as never[]) toDeal(w, 'RUB')
  }
  for (let i = 0; i < 30; i++) (parse(), full()) // warm-up, so the JIT has settled
  let parseMs = 0
  let fullMs = 0
  for (let r = 0; r < rounds; r++) {
    parseMs += round(parse) / rounds
    fullMs += round(full) / rounds
  }
  const mapMs = fullMs - parseMs
  return {
    bytesPerPage: text.length,
    parseUsPerEntity: (parseMs * 1000) / entities,
    mapUsPerEntity: (mapMs * 1000) / entities,
    ratio: mapMs / parseMs,
  }
}
