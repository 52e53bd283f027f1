export { type BudgetDecision, spend } from './budget.js';
export { clamp, cryptoUniform, geometricNoise, laplaceNoise, type Uniform } from './noise.js';
export {
  groupsPerCustomer,
  type NoiseStatement,
  type NoisyGroup,
  type PrivacyParameters,
  privateGroups,
} from './private-aggregates.js';
