// Compile-time only: every payload the OpenAPI spec allows must pass our runtime schemas, so the
// zod checks can never reject a documented response. `npm run typecheck` fails when they drift.
import type { z } from 'zod/mini'
import type * as Api from './generated/api.js'
import type * as W from './wire.js'

type Accepts<Schema extends z.ZodMiniType, Documented> = Documented extends z.input<Schema> ? true : never

export const wireMatchesSpec: [
  Accepts<typeof W.WireItem, Api.CrmItem>,
  Accepts<typeof W.WireItemList, Api.ItemListResult>,
  Accepts<typeof W.WireStatus, Api.StatusRow>,
  Accepts<typeof W.WireCategory, Api.Category>,
  Accepts<typeof W.WireUser, Api.User>,
  Accepts<typeof W.WireField, Api.ItemField>,
  Accepts<typeof W.WireFields, Api.ItemFieldsResult>,
  Accepts<typeof W.WireType, Api.SmartProcessType>,
  Accepts<typeof W.WireUserFieldConfig, Api.UserFieldConfig>,
  Accepts<typeof W.WireTokenResponse, Api.TokenResponse>,
  Accepts<typeof W.WireTime, Api.Time>,
  Accepts<typeof W.WireEnvelope, Api.Envelope>,
  Accepts<typeof W.WireBatch, Api.BatchResponse>,
  Accepts<typeof W.WireCommandError, Api.CommandError>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true]
