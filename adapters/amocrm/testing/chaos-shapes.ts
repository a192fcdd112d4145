// How this CRM's faults look on the wire, for the shared chaos mode (sdk/testing/chaos.ts).
import { jsonAnswer, nginx, type ChaosShapes } from '../../../sdk/testing/chaos.js'

export const CHAOS_SHAPES: ChaosShapes = {
  crm: 'amocrm',
  // amoCRM's 500s are problem+json; its 504s (a batch the backend did not finish) come from nginx.
  serverError: (v) =>
    v < 0.5
      ? jsonAnswer(500, { title: 'Internal Server Error', type: 'https://httpstatus.es/500', status: 500, detail: 'Internal Server Error' }, 'application/problem+json')
      : nginx(504, '504 Gateway Time-out'),
  // The gateway's 429: HTML, no Retry-After (research §3.2).
  rateLimited: () => nginx(429, '429 Too Many Requests'),
  htmlError: () => nginx(502, '502 Bad Gateway'),
  lostAnswer: () => nginx(504, '504 Gateway Time-out'),
  isAuth: (url) => url.pathname.startsWith('/oauth2/'),
}
