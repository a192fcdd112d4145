import { describe, expect, it } from 'vitest'
import { MAX_ROWS, and, buildQuery, cmp, contains, countQuery, inChunks, keyPath, literal, or } from '../../../adapters/creatio/odata.js'

const dec = (q: string) => decodeURIComponent(q)

describe('Creatio OData literals', () => {
  it('writes GUIDs and UTC dates bare, strings quoted with doubled quotes', () => {
    expect(literal({ guid: '405947D0-2FFB-4DED-8675-0475F19F5A81' })).toBe('405947d0-2ffb-4ded-8675-0475f19f5a81')
    expect(literal({ date: new Date('2026-04-26T00:00:00Z') })).toBe('2026-04-26T00:00:00Z')
    expect(literal({ date: new Date('2026-04-26T10:00:00.250Z') })).toBe('2026-04-26T10:00:00.250Z')
    expect(literal("O'Brien")).toBe("'O''Brien'")
    expect(literal(null)).toBe('null')
    expect(() => literal({ guid: 'not-a-guid' })).toThrow(/GUID/)
  })

  it('filters lookups through the navigation property, never the FK column', () => {
    expect(cmp('Owner', 'eq', { guid: '173a3823-c7d6-4dbf-bcd3-1c6e1a3acdc9' }, { lookup: true })).toBe('Owner/Id eq 173a3823-c7d6-4dbf-bcd3-1c6e1a3acdc9')
  })

  it('expands `in` into or-chains of at most the chunk size', () => {
    const ids = Array.from({ length: 120 }, (_, i) => ({ guid: `00000000-0000-0000-0000-${String(i + 1).padStart(12, '0')}` }))
    const chunks = inChunks('Id', ids, { chunk: 50 })
    expect(chunks).toHaveLength(3)
    expect(chunks[0]!.match(/ or /g)).toHaveLength(49)
    expect(chunks[2]!.match(/Id eq/g)).toHaveLength(20)
    expect(chunks[0]!.startsWith('(Id eq 00000000-0000-0000-0000-000000000001 or ')).toBe(true)
  })

  it('combines clauses with parentheses where precedence needs them', () => {
    expect(and('A eq 1', or('B eq 2', 'C eq 3'), null)).toBe('A eq 1 and (B eq 2 or C eq 3)')
    expect(and(null, undefined)).toBeNull()
    expect(contains('Title', "it's")).toBe("contains(Title,'it''s')")
  })

  it('forces a stable order ending in Id when paging, and caps $top at 20,000', () => {
    const q = dec(buildQuery({ select: ['Id', 'Title'], orderby: ['CreatedOn'], top: 50_000, skip: 100 }))
    expect(q).toBe('$select=Id,Title&$orderby=CreatedOn,Id&$top=20000&$skip=100')
    expect(MAX_ROWS).toBe(20_000)
    expect(dec(buildQuery({ select: ['Id'] }))).toBe('$select=Id')
    expect(dec(buildQuery({ top: 10, orderby: ['Id desc'] }))).toBe('$orderby=Id desc&$top=10')
  })

  it('encodes the filter so quotes, spaces and & survive the URL', () => {
    const q = buildQuery({ filter: contains('Name', 'R&D ltd') })
    expect(q).not.toContain(' ')
    expect(new URLSearchParams(q).get('$filter')).toBe("contains(Name,'R&D ltd')")
  })

  it('asks for totals with $count=true&$top=0', () => {
    expect(dec(countQuery('Amount gt 0'))).toBe('$filter=Amount gt 0&$orderby=Id&$top=0&$count=true')
    expect(keyPath('Lead', 'B2AF0916-FE64-40CA-8CC9-20C5BCCA4B77')).toBe('Lead(b2af0916-fe64-40ca-8cc9-20c5bcca4b77)')
  })
})
