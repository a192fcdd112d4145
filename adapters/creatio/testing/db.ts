import { ODataError, type Row } from './filter.js'
import { EMPTY_DATE, ZERO_GUID, defaultValue, type SiteSchema } from './schema.js'
import type { Tables } from './seed.js'

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

export function errorEnvelope(message: string, inner?: string) {
  return {
    error: {
      code: '',
      message,
      ...(inner
        ? { innererror: { message: 'An error occurred while processing the request.', type: 'Terrasoft.Common.DbOperationException', stacktrace: '', internalexception: { message: inner, type: 'System.Data.SqlClient.SqlException', stacktrace: '' } } }
        : {}),
    },
  }
}

/** What `CreatioDb.toJSON()` returns and `CreatioDb.fromJSON()` takes: every table's rows. */
export interface CreatioDbSnapshot {
  tables: [string, Row[]][]
}

/** The site's tables with an id index and a version per table (for query caches). */
export class CreatioDb {
  readonly tables: Tables
  private readonly index = new Map<string, Map<string, Row>>()
  private readonly versions = new Map<string, number>()

  constructor(
    readonly schema: SiteSchema,
    tables: Tables,
  ) {
    this.tables = tables
    for (const [entity, rows] of tables) this.index.set(entity, new Map(rows.map((r) => [String(r['Id']), r])))
  }

  /** Plain-data view of the site (the sandbox keeps its edits in a file this way). */
  toJSON(): CreatioDbSnapshot {
    return { tables: [...this.tables.entries()] }
  }

  /** Rebuilds a site from `toJSON()` output; tables the schema has but the snapshot lacks start empty. */
  static fromJSON(schema: SiteSchema, snapshot: CreatioDbSnapshot): CreatioDb {
    const tables: Tables = new Map(snapshot.tables)
    for (const entity of schema.keys()) if (!tables.has(entity)) tables.set(entity, [])
    return new CreatioDb(schema, tables)
  }

  rows(entity: string): Row[] {
    return this.tables.get(entity) ?? []
  }
  find(entity: string, id: string): Row | undefined {
    return this.index.get(entity)?.get(id.toLowerCase())
  }
  version(entity: string): number {
    return this.versions.get(entity) ?? 0
  }
  private touch(entity: string) {
    this.versions.set(entity, this.version(entity) + 1)
  }

  /** Validates a write body against the schema the way Creatio's OData layer does. */
  private apply(entity: string, row: Row, body: Record<string, unknown>, verb: 'INSERT' | 'UPDATE') {
    const cols = this.schema.get(entity)!
    for (const [k, v] of Object.entries(body)) {
      const c = cols.get(k)
      if (!c) {
        throw new ODataError(400, `The property '${k}' does not exist on type 'Terrasoft.Configuration.OData.${entity}'. Make sure to only use property names that are defined by the type.`)
      }
      if (k === 'Id' && verb === 'UPDATE') continue
      const bad = () => new ODataError(400, `Cannot convert the literal '${JSON.stringify(v)}' to the expected type 'Edm.${c.type}' of property '${k}'.`)
      let value: unknown
      switch (c.type) {
        case 'Guid':
          if (v === null) value = ZERO_GUID
          else if (typeof v === 'string' && GUID.test(v)) value = v.toLowerCase()
          else throw bad()
          break
        case 'String':
          if (v === null) value = ''
          else if (typeof v === 'string') value = v
          else throw bad()
          break
        case 'Decimal':
          if (typeof v === 'number' && Number.isFinite(v)) value = v
          else if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) value = Number(v)
          else if (v === null) value = 0
          else throw bad()
          break
        case 'Int32':
          if (typeof v === 'number' && Number.isInteger(v)) value = v
          else throw bad()
          break
        case 'Boolean':
          if (typeof v === 'boolean') value = v
          else throw bad()
          break
        case 'DateTimeOffset':
          if (v === null) value = EMPTY_DATE
          else if (typeof v === 'string' && !Number.isNaN(Date.parse(v)) && /T/.test(v)) value = new Date(v).toISOString().replace('.000Z', 'Z')
          else throw bad()
          break
      }
      if (c.lookup && value !== ZERO_GUID && !this.find(c.lookup, value as string)) {
        throw new ODataError(
          500,
          'An error has occurred.',
          `The ${verb} statement conflicted with the FOREIGN KEY constraint "FK${entity}${c.lookup}${k}". The conflict occurred in database "creatio", table "dbo.${c.lookup}", column 'Id'.`,
        )
      }
      row[k] = value
    }
  }

  insert(entity: string, body: Record<string, unknown>, at: string, by: string): Row {
    const cols = this.schema.get(entity)!
    const row: Row = {}
    for (const c of cols.values()) row[c.name] = defaultValue(c)
    const id = typeof body['Id'] === 'string' ? body['Id'].toLowerCase() : null
    if (id && this.find(entity, id)) {
      throw new ODataError(500, 'An error has occurred.', `Violation of PRIMARY KEY constraint 'PK${entity}Id'. Cannot insert duplicate key in object 'dbo.${entity}'. The duplicate key value is (${id}).`)
    }
    this.apply(entity, row, body, 'INSERT')
    row['Id'] = id && GUID.test(id) ? id : globalThis.crypto.randomUUID()
    row['CreatedOn'] = at
    row['ModifiedOn'] = at
    if (cols.has('CreatedById')) row['CreatedById'] = by
    if (cols.has('ModifiedById')) row['ModifiedById'] = by
    this.rules(entity, row, null, at)
    this.tables.get(entity)!.push(row)
    this.index.get(entity)!.set(String(row['Id']), row)
    this.touch(entity)
    return row
  }

  update(entity: string, id: string, body: Record<string, unknown>, at: string, by: string): Row {
    const row = this.find(entity, id)
    if (!row) throw new ODataError(404, `The entity '${entity}' with key '${id}' was not found.`)
    const before = { ...row }
    const draft = { ...row }
    this.apply(entity, draft, body, 'UPDATE')
    Object.assign(row, draft)
    row['ModifiedOn'] = at
    if ('ModifiedById' in row) row['ModifiedById'] = by
    this.rules(entity, row, before, at)
    this.touch(entity)
    return row
  }

  remove(entity: string, id: string): void {
    const row = this.find(entity, id)
    if (!row) throw new ODataError(404, `The entity '${entity}' with key '${id}' was not found.`)
    const rows = this.tables.get(entity)!
    rows.splice(rows.indexOf(row), 1)
    this.index.get(entity)!.delete(id.toLowerCase())
    this.touch(entity)
  }

  /** Server-side logic Creatio runs on save (business processes, research §3.4). */
  private rules(entity: string, row: Row, before: Row | null, at: string) {
    if (entity === 'Lead' && !row['LeadName']) {
      row['LeadName'] = [row['Contact'], row['Account']].filter(Boolean).join(', ')
    }
    if (entity === 'Opportunity' && (!before || before['StageId'] !== row['StageId'])) {
      const stage = this.find('OpportunityStage', String(row['StageId']))
      if (stage?.['End'] === true) {
        if (String(row['ClosedOnDate']).startsWith('0001')) row['ClosedOnDate'] = at
      } else if (before) row['ClosedOnDate'] = EMPTY_DATE
    }
  }
}
