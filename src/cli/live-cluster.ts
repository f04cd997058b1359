import * as fs from 'fs';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { yamlPackage } from '../common/lazy-packages';
import { LIVE_SOURCES, LiveSource } from '../good-practices/inputs/live-sources';

/** How to reach the API server and as whom, from a kubeconfig. */
export interface ClusterConnection {
  readonly context: string;
  readonly server: string;
  readonly ca?: Buffer;
  readonly insecure: boolean;
  readonly token?: string;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** Impersonation (`as`, `as-groups`, `as-user-extra`). */
  readonly impersonate?: string;
  readonly impersonateGroups: string[];
  readonly impersonateExtra: { [key: string]: string[] };
}

/** A kubeconfig that cannot be used: said to the user as a usage error. */
export class KubeconfigError extends Error {}

/** The kubeconfig file kubectl would read: `--kubeconfig`, else the first of $KUBECONFIG, else ~/.kube/config. */
export function kubeconfigPath(given: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (given !== undefined) return given;
  const first = (env.KUBECONFIG ?? '').split(path.delimiter).find(p => p !== '');
  return first ?? path.join(os.homedir(), '.kube', 'config');
}

/** The connection of `context` (default: current-context) in the kubeconfig at `file`. */
export function connectionFromKubeconfig(file: string, context?: string): ClusterConnection {
  let config: any;
  try {
    config = yamlPackage().parse(fs.readFileSync(file, 'utf-8'));
  } catch (e) {
    throw new KubeconfigError(`cannot read kubeconfig ${file}: ${(e as Error).message}`);
  }
  const dir = path.dirname(file);
  const named = (list: unknown, name: string, what: string) => {
    const entry = (Array.isArray(list) ? list : []).find((e: any) => e?.name === name);
    if (entry === undefined) throw new KubeconfigError(`kubeconfig ${file} has no ${what} '${name}'`);
    return entry;
  };
  const contextName = context ?? config?.['current-context'];
  if (typeof contextName !== 'string' || contextName === '') throw new KubeconfigError(`kubeconfig ${file} sets no current-context: pass --context`);
  const ctx = named(config?.contexts, contextName, 'context').context ?? {};
  const cluster = named(config?.clusters, ctx.cluster, 'cluster').cluster ?? {};
  const user = ctx.user === undefined ? {} : named(config?.users, ctx.user, 'user').user ?? {};
  for (const unsupported of ['exec', 'auth-provider', 'username']) {
    if (user[unsupported] !== undefined) {
      throw new KubeconfigError(`user '${ctx.user}' of kubeconfig ${file} authenticates with ${unsupported}, which check --cluster does not run: `
        + 'use a kubeconfig with a token or a client certificate (kubectl create token <auditor-serviceaccount>)');
    }
  }
  const fileOrData = (fileKey: string, dataKey: string, from: any): Buffer | undefined => {
    if (typeof from[dataKey] === 'string') return Buffer.from(from[dataKey], 'base64');
    if (typeof from[fileKey] === 'string') {
      const p = path.resolve(dir, from[fileKey]);
      try {
        return fs.readFileSync(p);
      } catch (e) {
        throw new KubeconfigError(`cannot read ${fileKey} ${p} of kubeconfig ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
    return undefined;
  };
  if (typeof cluster.server !== 'string') throw new KubeconfigError(`cluster '${ctx.cluster}' of kubeconfig ${file} has no server`);
  // tokenFile holds the token itself, not base64 (kubeconfig has no inline form of it besides token).
  const tokenFile = typeof user.tokenFile === 'string' ? fileOrData('tokenFile', 'tokenFile-has-no-data-form', user) : undefined;
  return {
    context: contextName,
    server: cluster.server,
    ca: fileOrData('certificate-authority', 'certificate-authority-data', cluster),
    insecure: cluster['insecure-skip-tls-verify'] === true,
    token: typeof user.token === 'string' ? user.token : tokenFile?.toString('utf-8').trim(),
    cert: fileOrData('client-certificate', 'client-certificate-data', user),
    key: fileOrData('client-key', 'client-key-data', user),
    impersonate: typeof user.as === 'string' ? user.as : undefined,
    impersonateGroups: Array.isArray(user['as-groups']) ? user['as-groups'].map(String) : [],
    impersonateExtra: user['as-user-extra'] && typeof user['as-user-extra'] === 'object' ? user['as-user-extra'] : {},
  };
}

/** One GET, its status and parsed body. */
function get(connection: ClusterConnection, urlPath: string): Promise<{ status: number; body: any }> {
  const headers: Record<string, string | string[]> = { Accept: 'application/json' };
  if (connection.token !== undefined) headers.Authorization = `Bearer ${connection.token}`;
  if (connection.impersonate !== undefined) {
    headers['Impersonate-User'] = connection.impersonate;
    if (connection.impersonateGroups.length > 0) headers['Impersonate-Group'] = connection.impersonateGroups;
    for (const [key, values] of Object.entries(connection.impersonateExtra)) {
      headers[`Impersonate-Extra-${encodeURIComponent(key).toLowerCase()}`] = values.join(',');
    }
  }
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(urlPath, connection.server), {
      method: 'GET', headers, ca: connection.ca, cert: connection.cert, key: connection.key, rejectUnauthorized: !connection.insecure, timeout: 60_000,
    }, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf-8');
        let body: any = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON: an error page; the status says enough.
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${urlPath}: no answer in 60 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** What was read from the cluster. */
export interface LiveObjects {
  /** Every object of every live source, with apiVersion and kind set (lists leave them out). */
  readonly objects: any[];
  /** `1.35`: the server's minor version. */
  readonly kubernetesVersion: string;
}

function listPath(source: LiveSource): string {
  const base = source.group === '' ? `/api/${source.version}` : `/apis/${source.group}/${source.version}`;
  return `${base}${source.namespace === undefined ? '' : `/namespaces/${source.namespace}`}/${source.resource}`;
}

/** Lists every live source (GET only, paged); a refused or failed list is an error naming the source. */
export async function readLiveObjects(connection: ClusterConnection): Promise<LiveObjects> {
  const version = await get(connection, '/version');
  if (version.status !== 200) throw new Error(`GET /version on ${connection.server}: ${version.status} ${version.body?.message ?? ''}`.trim());
  const objects: any[] = [];
  for (const source of LIVE_SOURCES) {
    let next: string | undefined = '';
    while (next !== undefined) {
      const res = await get(connection, `${listPath(source)}?limit=500${next === '' ? '' : `&continue=${encodeURIComponent(next)}`}`);
      if (res.status === 404 && source.optional) break;
      if (res.status !== 200) throw new Error(`cannot list ${source.resource}${source.namespace ? ` in ${source.namespace}` : ''}: ${res.status} ${res.body?.message ?? ''}`.trim());
      const apiVersion = source.group === '' ? source.version : `${source.group}/${source.version}`;
      for (const item of res.body.items ?? []) {
        // managedFields say who wrote what, which no rule reads.
        const metadata = { ...item.metadata };
        delete metadata.managedFields;
        objects.push({ ...item, apiVersion, kind: source.kind, metadata });
      }
      next = res.body.metadata?.continue || undefined;
    }
  }
  return { objects, kubernetesVersion: `${Number(version.body.major)}.${parseInt(String(version.body.minor), 10)}` };
}
