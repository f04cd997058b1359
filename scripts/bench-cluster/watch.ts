/**
 * A Kubernetes watch over HTTPS: one JSON event per line, handed to `onEvent` as it arrives,
 * with the local receive time (what the bench measures bind times from).
 */
import * as https from 'https';
import { ServerEndpoint } from '../../test/support/cluster/kube-client';

export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: any;
  /** Date.now() when the event arrived. */
  readonly at: number;
}

export interface Watch {
  /** Resolves once the server has answered the watch request (events flow from then on). */
  readonly ready: Promise<void>;
  stop(): void;
}

/** Watches `path` (a collection) from now: `?watch=1` with no resourceVersion sends the existing objects as ADDED first. */
export function watch(endpoint: ServerEndpoint, token: string, path: string, onEvent: (e: WatchEvent) => void): Watch {
  const url = new URL(`${path}${path.includes('?') ? '&' : '?'}watch=1&timeoutSeconds=7200`, endpoint.url);
  let stopped = false;
  let req: ReturnType<typeof https.request> | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    req = https.request(url, { method: 'GET', ca: endpoint.ca, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }, res => {
      if (res.statusCode !== 200) {
        reject(new Error(`watch ${path}: ${res.statusCode}`));
        res.resume();
        return;
      }
      resolve();
      let buffered = '';
      res.setEncoding('utf-8');
      res.on('data', (chunk: string) => {
        const at = Date.now();
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          if (line.trim() !== '') {
            const event = JSON.parse(line);
            onEvent({ type: event.type, object: event.object, at });
          }
        }
      });
      res.on('end', () => {
        if (!stopped) {
          process.stderr.write(`watch ${path} ended early\n`);
        }
      });
    });
    req.on('error', error => {
      if (!stopped) {
        reject(error);
      }
    });
    req.end();
  });
  return {
    ready,
    stop: () => {
      stopped = true;
      req?.destroy();
    },
  };
}
