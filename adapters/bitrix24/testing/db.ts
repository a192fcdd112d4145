// In-memory state of one emulated Bitrix24 portal. Items are stored the way `crm.item.*` returns
// them (camelCase standard fields, numeric ids, "Y"/"N" flags, dates with the portal's offset);
// user fields keep their original UF_CRM_* names. The legacy `crm.lead.*` / `crm.deal.*` views
// are derived from the same rows.

export const ENTITY = { lead: 1, deal: 2, contact: 3, company: 4 } as const

export type Item = { id: number } & Record<string, unknown>

export interface StatusRow {
  ID: number
  ENTITY_ID: string
  STATUS_ID: string
  NAME: string
  NAME_INIT: string
  SORT: number
  SYSTEM: 'Y' | 'N'
  CATEGORY_ID: number | null
  COLOR: string | null
  SEMANTICS: 'S' | 'F' | null
  EXTRA?: { SEMANTICS: 'process' | 'success' | 'failure' | 'apology'; COLOR: string }
}

export interface Category {
  id: number
  name: string
  sort: number
  entityTypeId: number
  isDefault: 'Y' | 'N'
}

export interface UserRow {
  ID: string
  ACTIVE: boolean
  NAME: string
  LAST_NAME: string
  EMAIL: string
  WORK_POSITION: string
}

export type UserFieldType = 'string' | 'double' | 'integer' | 'boolean' | 'date' | 'datetime' | 'enumeration' | 'money' | 'url'

export interface UserField {
  id: number
  /** `CRM_DEAL`, `CRM_LEAD`, `CRM_{spaId}` … */
  entityId: string
  fieldName: string
  userTypeId: UserFieldType
  title: string
  multiple: 'Y' | 'N'
  mandatory: 'Y' | 'N'
  enum: { id: number; value: string; def: 'Y' | 'N'; sort: number }[]
}

export interface SpaType {
  id: number
  entityTypeId: number
  title: string
  code: string | null
  isBeginCloseDatesEnabled: 'Y' | 'N'
  isClientEnabled: 'Y' | 'N'
  isStagesEnabled: 'Y' | 'N'
  isCategoriesEnabled: 'Y' | 'N'
  relations: { parent: { entityTypeId: number }[]; child: { entityTypeId: number }[] }
  createdTime: string
}

/** An application's widget binding made by `placement.bind`. */
export interface PlacementRow {
  placement: string
  handler: string
  title: string
  description: string
  groupName: string
  langAll: Record<string, unknown> | null
  options: Record<string, unknown> | null
}

/** The one application installed on the emulated portal (apps with UI finish install with `installFinish`). */
export interface AppState {
  installed: boolean
  placements: PlacementRow[]
  /** `app.option.set` values (application settings, e.g. crmkit's budget approvers). */
  options?: Record<string, unknown>
}

/** What `Bitrix24Db.toJSON()` returns and `Bitrix24Db.fromJSON()` takes. */
export interface Bitrix24DbSnapshot {
  items: [number, Item[]][]
  nextIds: [number, number][]
  statuses: StatusRow[]
  categories: Category[]
  users: UserRow[]
  userFields: UserField[]
  types: SpaType[]
  counters: { status: number; userField: number; type: number; entityType: number }
  app?: AppState
}

export class Bitrix24Db {
  readonly items = new Map<number, Map<number, Item>>()
  app: AppState = { installed: false, placements: [] }
  private readonly nextIds = new Map<number, number>()
  statuses: StatusRow[] = []
  categories: Category[] = []
  users: UserRow[] = []
  userFields: UserField[] = []
  types: SpaType[] = []
  nextStatusId = 1
  nextUserFieldId = 1
  nextTypeId = 1
  nextEntityTypeId = 1030

  table(entityTypeId: number): Map<number, Item> {
    let t = this.items.get(entityTypeId)
    if (!t) {
      t = new Map()
      this.items.set(entityTypeId, t)
    }
    return t
  }

  insert(entityTypeId: number, fields: Record<string, unknown>): Item {
    const id = this.nextIds.get(entityTypeId) ?? 1
    this.nextIds.set(entityTypeId, id + 1)
    const item = { ...fields, id } as Item
    this.table(entityTypeId).set(id, item)
    this.sorted.get(entityTypeId)?.push(item) // ids only grow
    return item
  }

  remove(entityTypeId: number, id: number): boolean {
    this.sorted.delete(entityTypeId)
    return this.table(entityTypeId).delete(id)
  }

  private readonly sorted = new Map<number, Item[]>()

  /** Rows in ascending id order (cached; the `>id` cursor of fast exports seeks in it). */
  byId(entityTypeId: number): Item[] {
    let rows = this.sorted.get(entityTypeId)
    if (!rows) {
      rows = [...this.table(entityTypeId).values()].sort((a, b) => a.id - b.id)
      this.sorted.set(entityTypeId, rows)
    }
    return rows
  }

  /** Ids continue from here (seeded portals don't start at 1). */
  startIdsAt(entityTypeId: number, id: number): void {
    this.nextIds.set(entityTypeId, id)
  }

  entityIdOf(entityTypeId: number): string {
    switch (entityTypeId) {
      case 1: return 'CRM_LEAD'
      case 2: return 'CRM_DEAL'
      case 3: return 'CRM_CONTACT'
      case 4: return 'CRM_COMPANY'
      default: {
        const t = this.types.find((x) => x.entityTypeId === entityTypeId)
        return t ? `CRM_${t.id}` : `CRM_UNKNOWN_${entityTypeId}`
      }
    }
  }

  fieldsOf(entityTypeId: number): UserField[] {
    const entityId = this.entityIdOf(entityTypeId)
    return this.userFields.filter((f) => f.entityId === entityId)
  }

  isKnownEntityType(entityTypeId: number): boolean {
    return (entityTypeId >= 1 && entityTypeId <= 4) || this.types.some((t) => t.entityTypeId === entityTypeId)
  }

  /** Stage rows of a deal pipeline (`DEAL_STAGE` / `DEAL_STAGE_{id}`), lead statuses (`STATUS`). */
  stagesOf(entityId: string): StatusRow[] {
    return this.statuses.filter((s) => s.ENTITY_ID === entityId).sort((a, b) => a.SORT - b.SORT)
  }

  stage(statusId: string): StatusRow | undefined {
    return this.statuses.find((s) => s.STATUS_ID === statusId && (s.ENTITY_ID === 'STATUS' || s.ENTITY_ID.startsWith('DEAL_STAGE')))
  }

  dealStage(statusId: string): StatusRow | undefined {
    return this.statuses.find((s) => s.STATUS_ID === statusId && s.ENTITY_ID.startsWith('DEAL_STAGE'))
  }

  leadStatus(statusId: string): StatusRow | undefined {
    return this.statuses.find((s) => s.STATUS_ID === statusId && s.ENTITY_ID === 'STATUS')
  }

  /** Plain-data view of the portal (the sandbox keeps its edits in a file this way). */
  toJSON(): Bitrix24DbSnapshot {
    return {
      items: [...this.items.entries()].map(([type, rows]) => [type, [...rows.values()]]),
      nextIds: [...this.nextIds.entries()],
      statuses: this.statuses,
      categories: this.categories,
      users: this.users,
      userFields: this.userFields,
      types: this.types,
      counters: { status: this.nextStatusId, userField: this.nextUserFieldId, type: this.nextTypeId, entityType: this.nextEntityTypeId },
      app: this.app,
    }
  }

  /** Rebuilds a portal from `toJSON()` output; ids continue where they stopped. */
  static fromJSON(snapshot: Bitrix24DbSnapshot): Bitrix24Db {
    const db = new Bitrix24Db()
    for (const [type, rows] of snapshot.items) {
      const table = db.table(type)
      for (const row of rows) table.set(row.id, row)
    }
    for (const [type, next] of snapshot.nextIds) db.nextIds.set(type, next)
    db.statuses = snapshot.statuses
    db.categories = snapshot.categories
    db.users = snapshot.users
    db.userFields = snapshot.userFields
    db.types = snapshot.types
    db.nextStatusId = snapshot.counters.status
    db.nextUserFieldId = snapshot.counters.userField
    db.nextTypeId = snapshot.counters.type
    db.nextEntityTypeId = snapshot.counters.entityType
    if (snapshot.app) db.app = snapshot.app
    return db
  }
}

/** `P` / `S` / `F` from a stage row's semantics. */
export function semanticLetter(row: StatusRow | undefined): 'P' | 'S' | 'F' {
  return row?.SEMANTICS === 'S' ? 'S' : row?.SEMANTICS === 'F' ? 'F' : 'P'
}

/** Bitrix24 answers with the portal's offset (+03:00 for a Moscow portal), second precision. */
export function portalDate(ms: number, offsetMinutes = 180): string {
  const local = new Date(Math.floor(ms / 1000) * 1000 + offsetMinutes * 60_000)
  const sign = offsetMinutes >= 0 ? '+' : '-'
  const abs = Math.abs(offsetMinutes)
  const off = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
  return `${local.toISOString().slice(0, 19)}${off}`
}
