// Compile-time only: every payload the OpenAPI spec allows must pass our runtime schemas, so the
// zod checks can never reject a documented response. `npm run typecheck` fails when they drift.
import type { z } from 'zod/mini'
import type * as Api from './generated/api.js'
import type * as W from './wire.js'

type Accepts<Schema extends z.ZodMiniType, Documented> = Documented extends z.input<Schema> ? true : never

export const wireMatchesSpec: [
  Accepts<typeof W.WireLead, Api.Lead>,
  Accepts<typeof W.WireOpportunity, Api.Opportunity>,
  Accepts<typeof W.WireContact, Api.Contact>,
  Accepts<typeof W.WireAccount, Api.Account>,
  Accepts<typeof W.WireOpportunityStage, Api.OpportunityStage>,
  Accepts<typeof W.WireQualifyStatus, Api.QualifyStatus>,
  Accepts<typeof W.WireLookup, Api.Lookup>,
  Accepts<typeof W.WireCampaign, Api.Campaign>,
  // Plans are read for their Id only (WireRow); the spec documents the columns setup() writes.
  Accepts<typeof W.WireRow, Api.CampaignPlanner>,
  Accepts<ReturnType<typeof W.collection<typeof W.WireLookup>>, Api.LookupCollection>,
  Accepts<ReturnType<typeof W.collection<typeof W.WireCampaign>>, Api.CampaignCollection>,
  Accepts<typeof W.WireMktgActivity, Api.MktgActivity>,
  Accepts<typeof W.WireEvent, Api.Event>,
  Accepts<typeof W.WireSysAdminUnit, Api.SysAdminUnit>,
  Accepts<typeof W.WireError, Api.ErrorEnvelope>,
  Accepts<typeof W.WireBatchResponse, Api.BatchResponse>,
  Accepts<typeof W.WireLoginResult, Api.LoginResponse>,
  Accepts<typeof W.WireTokenResponse, Api.TokenResponse>,
  Accepts<typeof W.WireOpenIdConfiguration, Api.OpenIdConfiguration>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true]
