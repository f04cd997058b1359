import { isDecimalNumber } from '../common/numbers';
import { DraValidationError } from '../common/validation-error';
import { ClusterScale, ControlPlaneSizing } from '../control-plane/sizing';
import { GoodPracticesOptions } from '../good-practices/engine/check-options';
// Not DraGoodPractices: the CLI starts faster without cdk8s, which the construct needs.
import { referenceOf, runChecks } from '../good-practices/engine/checker';
import { GoodPracticesReport } from '../good-practices/engine/finding';
import { formatReport } from '../good-practices/engine/report-format';
import { FindingSeverity } from '../good-practices/engine/severity';
import { checkPaths, validOptions } from '../good-practices/inputs/check-paths';
import { ALL_RULES } from '../good-practices/rules/all-rules';

/** Where the CLI writes; tests capture it. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Exit codes: 0 compliant, 1 an error-level finding or an unreadable input, 2 bad usage. */
const EXIT_OK = 0;
const EXIT_FINDINGS = 1;
const EXIT_USAGE = 2;

const USAGE = `Usage:
  cdk8s-dra check <file-or-dir>... [options]   check manifests against the DRA cluster-admin good practices
  cdk8s-dra check --cluster [--kubeconfig F] [--context C] [options]
                                              check the objects of a live cluster (read-only: list)
  cdk8s-dra plan --nodes N --pod-creation-qps Q [--claims-per-pod C] [--pod-deletion-qps D] [--format json]
                                              control-plane client QPS/burst for a cluster scale
  cdk8s-dra rules [--format json]             list the rules

check options:
  --format text|json          output format (default text)
  --nodes N                   declared cluster scale for DRA009 (with --pod-creation-qps)
  --pod-creation-qps Q        peak pods created per second
  --claims-per-pod C          ResourceClaims generated per pod (default 1)
  --pod-deletion-qps D        peak pods deleted per second (default: --pod-creation-qps)
  --min-kubelet-version V     oldest kubelet in the cluster, e.g. 1.33 (DRA002)
  --kubernetes-version V      the cluster's Kubernetes version, 1.34 to 1.38 (default 1.34): the API versions it serves (DRA008, DRA012, DRA014)
  --namespace NS              namespace of objects that set none, as with helm install --namespace (default: default)
  --admin Kind:name           an admin subject, repeatable (Group:platform-admins, User:alice, ServiceAccount:ns:name)
  --driver-sa namespace:name  a driver ServiceAccount not deployed as a DaemonSet here, repeatable
  --registration-dir PATH     an extra kubelet plugin registration directory, repeatable
  --strict                    also fail (exit 1) when an input holds nothing to check (an empty file or directory)
  --cluster                   read the objects from the cluster instead of files (DraRbac's auditors may)
  --kubeconfig F              with --cluster: the kubeconfig (default: $KUBECONFIG, else ~/.kube/config)
  --context C                 with --cluster: the kubeconfig context (default: its current-context)

Suppress a finding on one object with the annotation cdk8s-dra/suppress-<ruleId>: "<reason>".
Exit code: 0 no error-level finding, 1 an error-level finding or an unreadable input, 2 bad usage.
`;

class UsageError extends Error {}

interface ParsedArgs {
  readonly positional: string[];
  readonly single: Map<string, string>;
  readonly repeated: Map<string, string[]>;
  readonly flags: Set<string>;
}

const SINGLE = ['format', 'nodes', 'pod-creation-qps', 'claims-per-pod', 'pod-deletion-qps', 'min-kubelet-version', 'kubernetes-version', 'namespace',
  'kubeconfig', 'context'];
const REPEATED = ['admin', 'driver-sa', 'registration-dir'];
/** Options without a value. */
const FLAGS = ['strict', 'cluster'];

/** Runs `cdk8s-dra <argv>` and returns the exit code. */
export function runCli(argv: string[], io: CliIo): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return check(parseArgs(rest), io);
      case 'plan':
        return plan(parseArgs(rest), io);
      case 'rules':
        return rules(parseArgs(rest), io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return command === undefined ? EXIT_USAGE : EXIT_OK;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`cdk8s-dra: ${e.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    // Inputs never get here (they are input errors of the report): this is a bug, said without a stack dump.
    io.stderr(`cdk8s-dra: internal error, please report it: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return EXIT_FINDINGS;
  }
}

/**
 * `runCli`, and `check --cluster`, which reads the cluster over the network: the `cdk8s-dra`
 * command runs this.
 */
export async function runCliAsync(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'check' || !rest.some(arg => arg === '--cluster' || arg.startsWith('--cluster='))) return runCli(argv, io);
  let args: ParsedArgs;
  try {
    args = parseArgs(rest);
    if (args.positional.length > 0) throw new UsageError(`check --cluster reads the cluster, not files (got ${args.positional.join(' ')})`);
    if (args.flags.has('strict')) throw new UsageError('--strict is about files and directories: not with --cluster');
    formatOf(args);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`cdk8s-dra: ${e.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }
  // Loaded here: https and the kubeconfig reader are for --cluster runs only, and loading them costs every file check.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { connectionFromKubeconfig, KubeconfigError, kubeconfigPath, readLiveObjects } = require('./live-cluster') as typeof import('./live-cluster');
  let connection;
  try {
    connection = connectionFromKubeconfig(kubeconfigPath(args.single.get('kubeconfig')), args.single.get('context'));
  } catch (e) {
    if (!(e instanceof KubeconfigError)) throw e;
    io.stderr(`cdk8s-dra: ${e.message}\n`);
    return EXIT_USAGE;
  }
  let live;
  try {
    live = await readLiveObjects(connection);
  } catch (e) {
    io.stderr(`cdk8s-dra: cluster ${connection.context} (${connection.server}): ${(e as Error).message}\n`);
    return EXIT_FINDINGS;
  }
  try {
    const options = validOptions({ ...checkOptions(args), kubernetesVersion: args.single.get('kubernetes-version') ?? live.kubernetesVersion });
    const location = `cluster ${connection.context}`;
    const report = runChecks(live.objects.map(object => ({ object, ref: referenceOf(object, location), where: location })), options);
    return writeReport(report, args, io);
  } catch (e) {
    if (e instanceof DraValidationError || e instanceof UsageError) {
      io.stderr(`cdk8s-dra: ${e.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

function checkOptions(args: ParsedArgs): GoodPracticesOptions {
  return {
    scale: scaleOf(args, false),
    minKubeletVersion: args.single.get('min-kubelet-version'),
    kubernetesVersion: args.single.get('kubernetes-version'),
    defaultNamespace: args.single.get('namespace'),
    adminSubjects: args.repeated.get('admin'),
    driverServiceAccounts: args.repeated.get('driver-sa'),
    registrationDirs: args.repeated.get('registration-dir'),
  };
}

function check(args: ParsedArgs, io: CliIo): number {
  if (args.flags.has('cluster')) throw new UsageError('--cluster runs from the cdk8s-dra command (runCliAsync)');
  for (const name of ['kubeconfig', 'context']) {
    if (args.single.has(name)) throw new UsageError(`--${name} goes with --cluster`);
  }
  if (args.positional.length === 0) throw new UsageError('check needs at least one file or directory, or --cluster');
  formatOf(args);
  const options = checkOptions(args);
  let report: GoodPracticesReport;
  try {
    report = checkPaths(args.positional, options);
  } catch (e) {
    // Only bad options make checkPaths throw: unreadable inputs are part of the report.
    if (e instanceof DraValidationError) throw new UsageError(e.message);
    throw e;
  }
  return writeReport(report, args, io);
}

/** Prints the report; the exit code. */
function writeReport(report: GoodPracticesReport, args: ParsedArgs, io: CliIo): number {
  const format = formatOf(args);
  io.stdout(format === 'json' ? `${JSON.stringify(report, undefined, 2)}\n` : `${formatReport(report)}\n`);
  if (format === 'text') {
    for (const error of report.inputErrors) io.stderr(`cdk8s-dra: ${error}\n`);
  }
  const failed = report.inputErrors.length > 0 || report.findings.some(f => f.severity === FindingSeverity.ERROR)
    || (args.flags.has('strict') && report.emptyInputs.length > 0);
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

function plan(args: ParsedArgs, io: CliIo): number {
  if (args.positional.length > 0) throw new UsageError(`plan takes no file arguments (got ${args.positional.join(' ')})`);
  const format = formatOf(args);
  const scale = scaleOf(args, true)!;
  let rec;
  try {
    rec = ControlPlaneSizing.recommend(scale);
  } catch (e) {
    if (e instanceof DraValidationError) throw new UsageError(e.message);
    throw e;
  }
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ scale, recommendation: rec }, undefined, 2)}\n`);
    return EXIT_OK;
  }
  const rows = [
    ['component', 'setting', 'value'],
    ['kube-controller-manager', '--kube-api-qps', String(rec.controllerManagerQps)],
    ['kube-controller-manager', '--kube-api-burst', String(rec.controllerManagerBurst)],
    ['kube-scheduler', 'clientConnection.qps (KubeSchedulerConfiguration)', String(rec.schedulerQps)],
    ['kube-scheduler', 'clientConnection.burst (KubeSchedulerConfiguration)', String(rec.schedulerBurst)],
  ];
  const widths = [0, 1].map(col => Math.max(...rows.map(r => r[col].length)));
  const table = rows.map(r => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`.trimEnd()).join('\n');
  io.stdout(`${table}\n\n${rec.rationale}\n`);
  return EXIT_OK;
}

function rules(args: ParsedArgs, io: CliIo): number {
  if (args.positional.length > 0) throw new UsageError(`rules takes no arguments (got ${args.positional.join(' ')})`);
  const all = ALL_RULES.map(rule => rule.info);
  if (formatOf(args) === 'json') {
    io.stdout(`${JSON.stringify(all, undefined, 2)}\n`);
    return EXIT_OK;
  }
  io.stdout(all.map(r => `${r.id}  ${r.severity.padEnd(7)}  ${r.title}\n    why: ${r.practice}\n    fix: ${r.fix}\n`).join('\n'));
  return EXIT_OK;
}

function parseArgs(argv: string[]): ParsedArgs {
  const positional: string[] = [];
  const single = new Map<string, string>();
  const repeated = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (FLAGS.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    if (!SINGLE.includes(name) && !REPEATED.includes(name)) throw new UsageError(`unknown option --${name}`);
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (REPEATED.includes(name)) {
      repeated.set(name, [...(repeated.get(name) ?? []), value]);
    } else if (single.has(name)) {
      throw new UsageError(`--${name} given twice`);
    } else {
      single.set(name, value);
    }
  }
  return { positional, single, repeated, flags };
}

function formatOf(args: ParsedArgs): 'text' | 'json' {
  const format = args.single.get('format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
  return format;
}

/** The declared scale; `required` for plan, optional (both or neither of nodes and QPS) for check. */
function scaleOf(args: ParsedArgs, required: boolean): ClusterScale | undefined {
  const nodes = args.single.get('nodes');
  const qps = args.single.get('pod-creation-qps');
  if (nodes === undefined && qps === undefined && !required) {
    for (const name of ['claims-per-pod', 'pod-deletion-qps']) {
      if (args.single.has(name)) throw new UsageError(`--${name} needs --nodes and --pod-creation-qps`);
    }
    return undefined;
  }
  if (nodes === undefined || qps === undefined) throw new UsageError('--nodes and --pod-creation-qps go together');
  return {
    nodes: numberArg('nodes', nodes),
    podCreationQps: numberArg('pod-creation-qps', qps),
    ...(args.single.has('claims-per-pod') ? { claimsPerPod: numberArg('claims-per-pod', args.single.get('claims-per-pod')!) } : {}),
    ...(args.single.has('pod-deletion-qps') ? { podDeletionQps: numberArg('pod-deletion-qps', args.single.get('pod-deletion-qps')!) } : {}),
  };
}

/** A decimal number: `Number()` would also take `0x10`, `0b1`, `Infinity` and `''`. */
function numberArg(name: string, value: string): number {
  if (!isDecimalNumber(value)) throw new UsageError(`--${name} must be a decimal number, not '${value}'`);
  return Number(value);
}
