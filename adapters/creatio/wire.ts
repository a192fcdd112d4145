// Runtime schemas of what Creatio sends (research §3.3): lenient where Creatio varies (fractional
// seconds, decimals as numbers or strings, extra columns per site), strict where a wrong type
// would corrupt data. `types.check.ts` proves the OpenAPI spec and these schemas agree.
import { z } from 'zod'

export const Guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID')
/** UTC with `Z` (or an offset) and any number of fractional digits. */
export const DateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, 'must be an ISO date-time')
/** `IEEE754Compatible=true` lets Creatio send decimals as strings. */
export const Decimal = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal')])

const system = {
  Id: Guid,
  CreatedOn: DateTime.optional(),
  ModifiedOn: DateTime.optional(),
  CreatedById: Guid.optional(),
  ModifiedById: Guid.optional(),
}
const str = z.string().optional()
const guid = Guid.optional()
const date = DateTime.optional()
const dec = Decimal.optional()

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
  Probability: z.number().optional(),
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
  Number: z.number().optional(),
  End: z.boolean(),
  Successful: z.boolean(),
})
export const WireQualifyStatus = z.looseObject({
  Id: Guid,
  Name: z.string(),
  StageNumber: z.number().optional(),
  IsFinal: z.boolean(),
  Successful: z.boolean(),
})

export const WireSysAdminUnit = z.looseObject({
  Id: Guid,
  Name: z.string(),
  ContactId: Guid,
  Active: z.boolean(),
  SysAdminUnitTypeValue: z.number().optional(),
  Contact: z.looseObject({ Email: z.string().optional() }).nullable().optional(),
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
  Approval: z.boolean().optional(),
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

export function collection<S extends z.ZodType>(row: S) {
  return z.object({ '@odata.count': z.number().optional(), value: z.array(row) })
}

/** `{"error":{"code","message","innererror":{"message","internalexception":{…}}}}` (research §3.6). */
export type WireInnerError = { message?: string; type?: string; internalexception?: WireInnerError | null | undefined }
const Inner: z.ZodType<WireInnerError> = z.lazy(() =>
  z.looseObject({ message: z.string().optional(), type: z.string().optional(), internalexception: Inner.nullable().optional() }),
)
export const WireError = z.object({
  error: z.looseObject({ code: z.string().optional(), message: z.string().optional(), innererror: Inner.nullable().optional() }),
})
export type WireError = z.output<typeof WireError>

export const WireBatchResponse = z.object({
  responses: z.array(
    z.looseObject({
      id: z.string(),
      status: z.number(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
})

export const WireLoginResult = z.looseObject({
  Code: z.number(),
  Message: z.string().nullable().optional(),
  Exception: z.unknown().optional(),
  PasswordChangeUrl: z.string().nullable().optional(),
  RedirectUrl: z.string().nullable().optional(),
})

export const WireTokenResponse = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number(),
  token_type: z.string(),
  scope: z.string().optional(),
})

export const WireOpenIdConfiguration = z.looseObject({ token_endpoint: z.string().min(1), issuer: z.string().optional() })
