// Compile-time only: every payload the OpenAPI spec allows must pass our runtime schemas, so the
// zod checks can never reject a documented response. `npm run typecheck` fails when they drift.
import type { z } from 'zod/mini'
import type * as Api from './generated/api.js'
import type * as W from './wire.js'

type Accepts<Schema extends z.ZodMiniType, Documented> = Documented extends z.input<Schema> ? true : never

export const wireMatchesSpec: [
  Accepts<typeof W.WireLead, Api.Lead>,
  Accepts<typeof W.WireContact, Api.Contact>,
  Accepts<typeof W.WireCompany, Api.Company>,
  Accepts<typeof W.WirePipeline, Api.Pipeline>,
  Accepts<typeof W.WireUser, Api.User>,
  Accepts<typeof W.WireFieldDefinition, Api.CustomField>,
  Accepts<typeof W.WireCatalog, Api.Catalog>,
  Accepts<typeof W.WireCatalogElement, Api.CatalogElement>,
  Accepts<typeof W.WireAccount, Api.Account>,
  Accepts<typeof W.WireTokenResponse, Api.TokenResponse>,
] = [true, true, true, true, true, true, true, true, true, true]
