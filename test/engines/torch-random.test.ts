import { loadConformanceCases, toApiCase, TORCH_RANDOM_FIXTURES } from '../helpers/conformance.js'
import { describeRunJob } from './run-cases.js'

// The PyTorch differential set (test/fixtures/torch-random, scripts/torch-cases.py) through runJob,
// under each engine setting that can pick onnxruntime.
describeRunJob('torch-random', loadConformanceCases(TORCH_RANDOM_FIXTURES).map(toApiCase))
