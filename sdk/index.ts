export { createCrm } from './client.js'
export type { Crm, CrmOptions, Collection, ReadCollection, CallOptions } from './client.js'
export * from './errors.js'
export * from './model/index.js'
export { OAuthSession } from './auth.js'
export type { RefreshTokens, OAuthSessionOptions } from './auth.js'
export { MemoryTokenStore } from './token-store.js'
export type { TokenSet, TokenStore } from './token-store.js'
export type { Paginator } from './paginate.js'
export type { WriteOutcome } from './batch.js'
export { MemoryImportJournal } from './import/journal.js'
export type { ImportJournal, JournalEntry } from './import/journal.js'
export type * from './import/types.js'
export type {
  Adapter,
  AdapterEnv,
  AdapterLimits,
  CallContext,
  CardEntity,
  ImportTraits,
  Capabilities,
  CollectionCapabilities,
  CollectionDriver,
  CollectionName,
  DriverOutcome,
  Drivers,
  PageRequest,
  PageResult,
  RawPost,
  SetupReport,
  UpdateRequest,
} from './adapter.js'
export type {
  AuthStrategy,
  Authorization,
  ClassifiedError,
  ErrorClassifier,
  SuccessClassifier,
  HttpClient,
  HttpRequest,
  HttpResponse,
  Logger,
} from './http.js'
export { parseResponse, validateInput } from './validate.js'
export { lazyAuth } from './lazy-auth.js'
export { createRawPost, parseJsonOrText, TransportFailure } from './transport.js'
export type { Transport, TransportRequest, TransportResponse, TransportFailureKind } from './transport.js'
export { defaultTransport } from './platform/index.js'
export { fetchTransport } from './platform/fetch-transport.js'
export { paginate } from './paginate.js'
export { classifyByStatus } from './classify.js'
