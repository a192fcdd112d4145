// How this CRM's faults look on the wire, for the shared chaos mode (sdk/testing/chaos.ts).
import { jsonAnswer, type ChaosShapes } from '../../../sdk/testing/chaos.js'

const IIS_503 =
  '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN""http://www.w3.org/TR/html4/strict.dtd">\r\n<HTML><HEAD><TITLE>Service Unavailable</TITLE>\r\n' +
  '<META HTTP-EQUIV="Content-Type" Content="text/html; charset=us-ascii"></HEAD>\r\n<BODY><h2>Service Unavailable</h2>\r\n<hr><p>HTTP Error 503. The service is unavailable.</p>\r\n</BODY></HTML>\r\n'

/** HTTP.sys when the application pool is down or recycling. */
const iis503 = () => new Response(IIS_503, { status: 503, headers: { 'Content-Type': 'text/html; charset=us-ascii', Server: 'Microsoft-HTTPAPI/2.0' } })

export const CHAOS_SHAPES: ChaosShapes = {
  crm: 'creatio',
  // The error envelope: an empty code, the useful text in innererror (research §3.6).
  serverError: () =>
    jsonAnswer(500, {
      error: {
        code: '',
        message: 'An error has occurred.',
        innererror: { message: 'Execution Timeout Expired. The timeout period elapsed prior to completion of the operation or the server is not responding.', type: 'System.Data.SqlClient.SqlException', stacktrace: '' },
      },
    }),
  // The WAF in front of cloud sites.
  rateLimited: () => new Response('Too many requests', { status: 429, headers: { 'Retry-After': '1', 'Content-Type': 'text/plain' } }),
  htmlError: iis503,
  lostAnswer: iis503,
  isAuth: (url) => url.pathname.startsWith('/ServiceModel/') || /\/connect\/|\/\.well-known\//.test(url.pathname),
}
