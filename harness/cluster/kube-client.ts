import * as https from 'https';

/** Who a request is made as: a bearer token, optionally impersonating a user with groups and extras. */
export interface Identity {
  readonly token: string;
  /** `Impersonate-User`; groups and extras apply only with it. */
  readonly impersonate?: string;
  readonly groups?: string[];
  readonly extra?: Record<string, string[]>;
}

/** What the API server answered. `warnings` are the texts of its `Warning` headers. */
export interface KubeResponse {
  readonly status: number;
  readonly body: any;
  readonly warnings: string[];
}

/** An API server's address and the CA that signs its serving certificate. */
export interface ServerEndpoint {
  readonly url: string;
  readonly ca: string;
}

/** The REST path of a kind: where `kubectl` would send it, learnt from discovery. */
interface ResourceInfo {
  readonly name: string;
  readonly namespaced: boolean;
}

/**
 * A small Kubernetes REST client for tests: JSON requests, server-side apply, discovery. It
 * speaks to the real API server, so what it reports (status codes, messages, warnings) is the
 * server's own judgement.
 */
export class KubeClient {
  private readonly resources = new Map<string, Promise<Map<string, ResourceInfo>>>();

  constructor(readonly endpoint: ServerEndpoint, readonly identity: Identity) {}

  /** The same server as another identity. */
  as(identity: Identity): KubeClient {
    return new KubeClient(this.endpoint, identity);
  }

  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeResponse> {
    const url = new URL(path, this.endpoint.url);
    const headers: Record<string, string | string[]> = {
      Accept: 'application/json',
      Authorization: `Bearer ${this.identity.token}`,
    };
    if (this.identity.impersonate) {
      headers['Impersonate-User'] = this.identity.impersonate;
      // Impersonate-Group repeats: Node sends an array header as one line per value.
      if (this.identity.groups && this.identity.groups.length > 0) {
        headers['Impersonate-Group'] = this.identity.groups;
      }
      for (const [key, values] of Object.entries(this.identity.extra ?? {})) {
        // Extra keys are case-insensitive header suffixes: percent-encode what a header name cannot carry.
        headers[`Impersonate-Extra-${encodeURIComponent(key).toLowerCase()}`] = values.join(',');
      }
    }
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    if (payload !== undefined) {
      headers['Content-Type'] = contentType;
    }
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method, headers, ca: this.endpoint.ca, timeout: 60_000 }, res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf-8');
          let parsed: any = text;
          try {
            parsed = text === '' ? undefined : JSON.parse(text);
          } catch {
            // Not JSON (healthz answers plain text): keep the text.
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, warnings: warningTexts(res.headers.warning) });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 60 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like `request`, but throws with the server's message unless the status is 2xx. */
  async expectOk(method: string, path: string, body?: unknown, contentType?: string): Promise<KubeResponse> {
    const res = await this.request(method, path, body, contentType);
    if (res.status < 200 || res.status > 299) {
      throw new Error(`${method} ${path} as ${this.describe()}: ${res.status} ${res.body?.message ?? JSON.stringify(res.body)}`);
    }
    return res;
  }

  get(path: string): Promise<any> {
    return this.expectOk('GET', path).then(r => r.body);
  }

  /** The collection path of an object's kind (in its namespace when namespaced), from discovery. */
  async collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<string> {
    const info = await this.resourceOf(apiVersion, kind);
    if (!info) {
      throw new Error(`the server does not serve ${kind} in ${apiVersion}`);
    }
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return info.namespaced ? `${base}/namespaces/${namespace ?? 'default'}/${info.name}` : `${base}/${info.name}`;
  }

  /** The path of one object. */
  async objectPath(obj: any): Promise<string> {
    const collection = await this.collectionPath(obj.apiVersion, obj.kind, obj.metadata?.namespace);
    return `${collection}/${encodeURIComponent(obj.metadata.name)}`;
  }

  /** Whether the server serves `kind` in `apiVersion`. */
  async serves(apiVersion: string, kind: string): Promise<boolean> {
    return (await this.resourceOf(apiVersion, kind).catch(() => undefined)) !== undefined;
  }

  /** A kind's resource, asking discovery again when the remembered answer predates it (a new CRD). */
  private async resourceOf(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    const known = (await this.discover(apiVersion)).get(kind);
    if (known) {
      return known;
    }
    this.resources.delete(apiVersion);
    return (await this.discover(apiVersion)).get(kind);
  }

  /**
   * Server-side apply with strict field validation: an unknown or duplicate field is an error,
   * as `kubectl apply --server-side --validate=strict` makes it.
   */
  async apply(obj: any, fieldManager = 'cdk8s-dra-tests'): Promise<KubeResponse> {
    const path = await this.objectPath(obj);
    return this.request('PATCH', `${path}?fieldManager=${fieldManager}&force=true&fieldValidation=Strict`,
      obj, 'application/apply-patch+yaml');
  }

  async create(obj: any): Promise<KubeResponse> {
    const path = await this.collectionPath(obj.apiVersion, obj.kind, obj.metadata?.namespace);
    return this.request('POST', `${path}?fieldValidation=Strict`, obj);
  }

  async delete(obj: any): Promise<KubeResponse> {
    return this.request('DELETE', await this.objectPath(obj));
  }

  /** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
  async waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 200): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const value = await probe();
        if (value !== undefined) {
          return value;
        }
      } catch (error) {
        last = error;
      }
      await new Promise(r => setTimeout(r, intervalMs));
    }
    throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
  }

  private describe(): string {
    return this.identity.impersonate ?? 'the token holder';
  }

  private discover(apiVersion: string): Promise<Map<string, ResourceInfo>> {
    let found = this.resources.get(apiVersion);
    if (!found) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      found = this.get(path).then((list: any) => new Map(
        (list.resources as any[])
          .filter(r => !r.name.includes('/'))
          .map(r => [r.kind as string, { name: r.name as string, namespaced: r.namespaced as boolean }]),
      ));
      // A failed discovery (a CRD not yet established) is not remembered.
      found.catch(() => this.resources.delete(apiVersion));
      this.resources.set(apiVersion, found);
    }
    return found;
  }
}

/** `299 - "text"` headers, as the API server sends warnings (RFC 7234 warn-code 299). */
function warningTexts(header: string | string[] | undefined): string[] {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return values.flatMap(v => [...v.matchAll(/299 - "((?:[^"\\]|\\.)*)"/g)].map(m => m[1].replace(/\\(.)/g, '$1')));
}
