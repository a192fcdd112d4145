// Runtime schemas of what Creatio sends (research §3.3): lenient where Creatio varies (fractional
// seconds, decimals as numbers or strings, extra columns per site), strict where a wrong type
// would corrupt data. `types.check.ts` proves the OpenAPI spec and these schemas agree.
import { z } from 'zod/mini'
import { useEnglishErrors } from '../../sdk/zod-locale.js'

useEnglishErrors()

export const Guid = z.string().check(z.regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID'))
/** UTC with `Z` (or an offset) and any number of fractional digits. */
export const DateTime = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, 'must be an ISO date-time'))
/** `IEEE754Compatible=true` lets Creatio send decimals as strings. */
export const Decimal = z.union([z.number(), z.string().check(z.regex(/^-?\d+(\.\d+)?$/, 'must be a decimal'))])

const system = {
  Id: Guid,
  CreatedOn: z.optional(DateTime),
  ModifiedOn: z.optional(DateTime),
  CreatedById: z.optional(Guid),
  ModifiedById: z.optional(Guid),
}
const str = z.optional(z.string())
const guid = z.optional(Guid)
const date = z.optional(DateTime)
const dec = z.optional(Decimal)

/** Any row: system columns plus whatever the site has (custom `Usr*` columns included). */
export const WireRow = z.looseObject(system)
export type WireRow = z.output<typeof WireRow>

export const WireLead = z.looseObject({
  ...system,
  LeadName: str,
  Contact: str,
  Account: str,
  QualifiedContactId: guid,
  QualifiedAccountId: guid,
  QualifyStatusId: guid,
  StatusId: guid,
  LeadTypeId: guid,
  LeadSourceId: guid,
  LeadMediumId: guid,
  CampaignId: guid,
  OpportunityId: guid,
  Budget: dec,
  OwnerId: guid,
  Email: str,
  MobilePhone: str,
  BpmHref: str,
  BpmRef: str,
  UtmSourceStr: str,
  UtmMediumStr: str,
  UtmCampaignStr: str,
  UtmContentStr: str,
  UtmTermStr: str,
})
export type WireLead = z.output<typeof WireLead>

export const WireOpportunity = z.looseObject({
  ...system,
  Title: str,
  AccountId: guid,
  ContactId: guid,
  StageId: guid,
  Amount: dec,
  Probability: z.optional(z.number()),
  DueDate: date,
  CloseReasonId: guid,
  LeadTypeId: guid,
  OwnerId: guid,
  CampaignId: guid,
  LeadSourceId: guid,
  LeadChannelId: guid,
  MainLeadId: guid,
  ClosedOnDate: date,
})
export type WireOpportunity = z.output<typeof WireOpportunity>

export const WireContact = z.looseObject({
  ...system,
  Name: str,
  GivenName: str,
  Surname: str,
  MiddleName: str,
  Email: str,
  MobilePhone: str,
  Phone: str,
  HomePhone: str,
  AccountId: guid,
  OwnerId: guid,
})
export type WireContact = z.output<typeof WireContact>

export const WireAccount = z.looseObject({ ...system, Name: str, OwnerId: guid })
export type WireAccount = z.output<typeof WireAccount>

/** Lookup rows (LeadSource, LeadMedium, OpportunityCloseReason …): Id + Name at least. */
export const WireLookup = z.looseObject({ Id: Guid, Name: z.string() })
export type WireLookup = z.output<typeof WireLookup>

export const WireOpportunityStage = z.looseObject({
  Id: Guid,
  Name: z.string(),
  Number: z.optional(z.number()),
  End: z.boolean(),
  Successful: z.boolean(),
})
export const WireQualifyStatus = z.looseObject({
  Id: Guid,
  Name: z.string(),
  StageNumber: z.optional(z.number()),
  IsFinal: z.boolean(),
  Successful: z.boolean(),
})

export const WireSysAdminUnit = z.looseObject({
  Id: Guid,
  Name: z.string(),
  ContactId: Guid,
  Active: z.boolean(),
  SysAdminUnitTypeValue: z.optional(z.number()),
  Contact: z.optional(z.nullable(z.looseObject({ Email: z.optional(z.string()) }))),
})

export const WireCampaign = z.looseObject({
  ...system,
  Name: z.string(),
  CampaignStatusId: guid,
  OwnerId: guid,
  StartDate: date,
  EndDate: date,
  UtmCampaign: str,
})

export const WireMktgActivity = z.looseObject({
  ...system,
  Name: z.string(),
  CampaignPlannerId: guid,
  ChannelId: guid,
  StatusId: guid,
  StartDate: date,
  DueDate: date,
  OwnerId: guid,
  PlannedBudget: dec,
  SpentBudget: dec,
  Approval: z.optional(z.boolean()),
  Url: str,
})
export type WireMktgActivity = z.output<typeof WireMktgActivity>

export const WireEvent = z.looseObject({
  ...system,
  Name: z.string(),
  StartDate: date,
  EndDate: date,
  CampaignId: guid,
  PrimaryBudgetedCost: dec,
  PrimaryActualCost: dec,
  Goal: str,
})
export type WireEvent = z.output<typeof WireEvent>

// One schema per row schema, so a compiled parser (sdk/validate.ts) is built once, not per page.
const collections = new WeakMap<z.ZodMiniType, z.ZodMiniType>()

export function collection<S extends z.ZodMiniType>(row: S): ReturnType<typeof makeCollection<S>> {
  let schema = collections.get(row)
  if (!schema) collections.set(row, (schema = makeCollection(row)))
  return schema as ReturnType<typeof makeCollection<S>>
}

function makeCollection<S extends z.ZodMiniType>(row: S) {
  return z.object({ '@odata.count': z.optional(z.number()), value: z.array(row) })
}

/** `{"error":{"code","message","innererror":{"message","internalexception":{…}}}}` (research §3.6). */
export type WireInnerError = { message?: string; type?: string; internalexception?: WireInnerError | null | undefined }
const Inner: z.ZodMiniType<WireInnerError> = z.lazy(() =>
  z.looseObject({ message: z.optional(z.string()), type: z.optional(z.string()), internalexception: z.optional(z.nullable(Inner)) }),
)
export const WireError = z.object({
  error: z.looseObject({ code: z.optional(z.string()), message: z.optional(z.string()), innererror: z.optional(z.nullable(Inner)) }),
})
export type WireError = z.output<typeof WireError>

export const WireBatchResponse = z.object({
  responses: z.array(
    z.looseObject({
      id: z.string(),
      status: z.number(),
      headers: z.optional(z.record(z.string(), z.string())),
      body: z.optional(z.unknown()),
    }),
  ),
})

export const WireLoginResult = z.looseObject({
  Code: z.number(),
  Message: z.optional(z.nullable(z.string())),
  Exception: z.optional(z.unknown()),
  PasswordChangeUrl: z.optional(z.nullable(z.string())),
  RedirectUrl: z.optional(z.nullable(z.string())),
})

export const WireTokenResponse = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  expires_in: z.number(),
  token_type: z.string(),
  scope: z.optional(z.string()),
})

export const WireOpenIdConfiguration = z.looseObject({ token_endpoint: z.string().check(z.minLength(1)), issuer: z.optional(z.string()) })
