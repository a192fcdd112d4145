import type { Pipeline, Stage, StageSemantics, User } from '../../../sdk/index.js'
import type { WireCategory, WireStatus, WireUser } from '../wire.js'
import { flag, str } from './scalars.js'

/** Stage semantics from the dictionary's own flags (SEMANTICS S/F, EXTRA.SEMANTICS), never from codes or names. */
export function semanticsOf(row: WireStatus): StageSemantics {
  const sem = row.SEMANTICS ?? (row.EXTRA && !Array.isArray(row.EXTRA) ? row.EXTRA.SEMANTICS : null)
  switch (sem) {
    case 'S':
    case 'success':
      return 'won'
    case 'F':
    case 'failure':
    case 'apology':
      return 'lost'
    default:
      return 'open'
  }
}

/** Deal pipelines (`crm.category.list`, category 0 = default) with stages from `DEAL_STAGE[_{id}]`. */
export function toPipelines(categories: WireCategory[], statuses: WireStatus[]): Pipeline[] {
  return [...categories]
    .sort((a, b) => Number(a.sort ?? 0) - Number(b.sort ?? 0))
    .map((c) => {
      const id = String(c.id)
      const entityId = id === '0' ? 'DEAL_STAGE' : `DEAL_STAGE_${id}`
      const stages: Stage[] = statuses
        .filter((s) => s.ENTITY_ID === entityId)
        .sort((a, b) => Number(a.SORT ?? 0) - Number(b.SORT ?? 0))
        .map((s) => ({ id: s.STATUS_ID, pipelineId: id, name: s.NAME, sort: Number(s.SORT ?? 0), semantics: semanticsOf(s) }))
      return { id, name: c.name, isDefault: flag(c.isDefault) || id === '0', stages }
    })
}

export function toUser(u: WireUser): User {
  const name = [str(u.NAME), str(u.LAST_NAME)].filter(Boolean).join(' ')
  return { id: String(u.ID), name: name || `#${String(u.ID)}`, email: str(u.EMAIL), active: u.ACTIVE === undefined || u.ACTIVE === null ? true : flag(u.ACTIVE) }
}
