import { creatioImport } from './harness.js'
import { importSuite } from './suite.js'

importSuite(creatioImport)
