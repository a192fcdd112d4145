// How this CRM's faults look on the wire, for the shared chaos mode (sdk/testing/chaos.ts).
import { jsonAnswer, nginx, type ChaosShapes } from '../../../sdk/testing/chaos.js'

export const CHAOS_SHAPES: ChaosShapes = {
  crm: 'bitrix24',
  serverError: () => jsonAnswer(500, { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' }),
  rateLimited: () => jsonAnswer(503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' }),
  htmlError: () => nginx(502, '502 Bad Gateway'),
  lostAnswer: () => nginx(504, '504 Gateway Time-out'),
  isAuth: (url) => url.pathname.startsWith('/oauth/'),
}
