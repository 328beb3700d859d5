import { loadConformanceCases, toApiCase } from '../helpers/conformance.js'
import { describeRunJob } from './run-cases.js'

// Every shared conformance case (test/fixtures/conformance) through runJob, under each engine
// setting that can pick onnxruntime.
describeRunJob('conformance', loadConformanceCases().map(toApiCase))
