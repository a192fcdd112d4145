import { amocrmHarness } from './amocrm.harness.js'
import { contractSuite } from './suite.js'

contractSuite(amocrmHarness)
