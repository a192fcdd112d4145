import type { Pipeline, User } from '../../../sdk/index.js'
import type { WirePipeline, WireUser } from '../wire.js'
import { LOST_STATUS, WON_STATUS, stageId } from './deal.js'

export function toPipeline(w: WirePipeline): Pipeline {
  return {
    id: String(w.id),
    name: w.name,
    isDefault: w.is_main,
    stages: w._embedded.statuses.map((s) => ({
      id: stageId(w.id, s.id),
      pipelineId: String(w.id),
      name: s.name,
      sort: s.sort,
      // By id, never by name: names are renamed and translated, 142/143 are fixed.
      semantics: s.id === WON_STATUS ? 'won' : s.id === LOST_STATUS ? 'lost' : 'open',
    })),
  }
}

export function toUser(w: WireUser): User {
  return { id: String(w.id), name: w.name, email: w.email ?? null, active: w.rights?.is_active ?? true }
}
