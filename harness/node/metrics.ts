import * as https from 'https';

/** A Prometheus text exposition, fetched once: what the kubelet or a driver exports right now. */
export class Exposition {
  /** Fetches `url` (https targets unverified, as Prometheus scrapes kubelets here). */
  public static async fetch(url: string, bearerToken?: string): Promise<Exposition> {
    const text = url.startsWith('https:')
      ? await new Promise<string>((resolve, reject) => {
        https.get(url, { rejectUnauthorized: false, headers: bearerToken ? { Authorization: `Bearer ${bearerToken}` } : {} }, res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => res.statusCode === 200
            ? resolve(Buffer.concat(chunks).toString('utf-8'))
            : reject(new Error(`GET ${url}: ${res.statusCode}`)));
        }).on('error', reject);
      })
      : await (await fetch(url)).text();
    return new Exposition(text);
  }

  private constructor(private readonly text: string) {}

  /** The sum of the samples of `name` whose labels include `labels` (0 when there are none). */
  public sum(name: string, labels: { [label: string]: string } = {}): number {
    return this.text.split('\n')
      .filter(line => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .filter(line => Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  }
}
