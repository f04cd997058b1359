/**
 * A Kubernetes watch over HTTPS: one JSON event per line, handed to `onEvent` as it arrives,
 * with the local receive time (what the bench measures bind times from). When the server ends
 * the stream (it closes watchers it finds slow), the watch resumes from the last
 * resourceVersion it saw, so no event is lost.
 */
import * as https from 'https';
import { ServerEndpoint } from '../../harness/cluster/kube-client';

export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: any;
  /** Date.now() when the event arrived. */
  readonly at: number;
}

export interface Watch {
  /** Resolves once the server has answered the first watch request (events flow from then on). */
  readonly ready: Promise<void>;
  stop(): void;
}

/** Watches `path` (a collection): the first request has no resourceVersion, so the existing objects come first as ADDED. */
export function watch(endpoint: ServerEndpoint, token: string, path: string, onEvent: (e: WatchEvent) => void): Watch {
  let stopped = false;
  let req: ReturnType<typeof https.request> | undefined;
  let resourceVersion: string | undefined;
  const open = (onAnswer: (error?: Error) => void) => {
    const from = resourceVersion ? `&resourceVersion=${resourceVersion}` : '';
    const url = new URL(`${path}${path.includes('?') ? '&' : '?'}watch=1&allowWatchBookmarks=true&timeoutSeconds=7200${from}`, endpoint.url);
    req = https.request(url, { method: 'GET', ca: endpoint.ca, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }, res => {
      if (res.statusCode !== 200) {
        res.resume();
        onAnswer(new Error(`watch ${path}: ${res.statusCode}`));
        return;
      }
      onAnswer();
      let buffered = '';
      res.setEncoding('utf-8');
      res.on('data', (chunk: string) => {
        const at = Date.now();
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          if (line.trim() === '') {
            continue;
          }
          const event = JSON.parse(line);
          if (event.type === 'ERROR') {
            process.stderr.write(`watch ${path}: ${event.object?.message}\n`);
            continue;
          }
          resourceVersion = event.object?.metadata?.resourceVersion ?? resourceVersion;
          if (event.type !== 'BOOKMARK') {
            onEvent({ type: event.type, object: event.object, at });
          }
        }
      });
      res.on('end', () => {
        if (!stopped) {
          open(error => error && process.stderr.write(`${error.message} (resuming at ${resourceVersion})\n`));
        }
      });
    });
    req.on('error', error => {
      if (!stopped) {
        onAnswer(error);
      }
    });
    req.end();
  };
  const ready = new Promise<void>((resolve, reject) => open(error => (error ? reject(error) : resolve())));
  return {
    ready,
    stop: () => {
      stopped = true;
      req?.destroy();
    },
  };
}
