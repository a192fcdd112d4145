import { bitrix24Import } from './harness.js'
import { importSuite } from './suite.js'

importSuite(bitrix24Import)
