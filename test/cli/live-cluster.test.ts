import * as fs from 'fs';
import * as path from 'path';
import { tmpFiles } from './support';
import { connectionFromKubeconfig, KubeconfigError, kubeconfigPath } from '../../src/cli/live-cluster';
import { runCliAsync } from '../../src/cli/run-cli';

function kubeconfig(user: object, cluster: object = { 'server': 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from('CA').toString('base64') }): string {
  const dir = tmpFiles({ 'ca.crt': 'CA FILE', 'client.key': 'KEY FILE', 'token': 'file-token\n' });
  const file = path.join(dir, 'config');
  fs.writeFileSync(file, JSON.stringify({
    'apiVersion': 'v1',
    'kind': 'Config',
    'clusters': [{ name: 'c', cluster }],
    'users': [{ name: 'u', user }],
    'contexts': [{ name: 'main', context: { cluster: 'c', user: 'u' } }, { name: 'other', context: { cluster: 'missing', user: 'u' } }],
    'current-context': 'main',
  }));
  return file;
}

async function runAsync(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCliAsync(argv, { stdout: t => { stdout += t; }, stderr: t => { stderr += t; } });
  return { code, stdout, stderr };
}

describe('check --cluster: the kubeconfig', () => {
  test('a token, the CA inline, impersonation', () => {
    const connection = connectionFromKubeconfig(kubeconfig({ 'token': 't0k', 'as': 'auditor', 'as-groups': ['compliance'] }));
    expect(connection).toMatchObject({ context: 'main', server: 'https://127.0.0.1:6443', token: 't0k', impersonate: 'auditor', impersonateGroups: ['compliance'] });
    expect(connection.ca?.toString()).toBe('CA');
  });

  test('files relative to the kubeconfig: CA, client key, token file', () => {
    const connection = connectionFromKubeconfig(kubeconfig({ 'client-key': 'client.key', 'client-certificate-data': Buffer.from('CERT').toString('base64'), 'tokenFile': 'token' },
      { 'server': 'https://api.example.com', 'certificate-authority': 'ca.crt' }));
    expect([connection.ca?.toString(), connection.key?.toString(), connection.cert?.toString(), connection.token]).toEqual(['CA FILE', 'KEY FILE', 'CERT', 'file-token']);
  });

  test('exec plugins, a missing context and a missing file are refused, saying why', () => {
    expect(() => connectionFromKubeconfig(kubeconfig({ exec: { command: 'aws' } }))).toThrow(/authenticates with exec, which check --cluster does not run/);
    expect(() => connectionFromKubeconfig(kubeconfig({ token: 't' }), 'nope')).toThrow(KubeconfigError);
    expect(() => connectionFromKubeconfig(kubeconfig({ token: 't' }), 'other')).toThrow(/has no cluster 'missing'/);
    expect(() => connectionFromKubeconfig('/nonexistent/config')).toThrow(/cannot read kubeconfig/);
  });

  test('--kubeconfig, else the first of $KUBECONFIG, else ~/.kube/config', () => {
    expect(kubeconfigPath('/a/config', { KUBECONFIG: '/b/config' })).toBe('/a/config');
    expect(kubeconfigPath(undefined, { KUBECONFIG: `/b/config${path.delimiter}/c/config` })).toBe('/b/config');
    expect(kubeconfigPath(undefined, {})).toMatch(/\.kube\/config$/);
  });
});

describe('check --cluster: usage', () => {
  test('files with --cluster, --strict with --cluster, --context without it, and a bad kubeconfig are usage errors', async () => {
    expect(await runAsync('check', '--cluster', 'dist/')).toMatchObject({ code: 2, stderr: expect.stringContaining('reads the cluster, not files') });
    expect(await runAsync('check', '--cluster', '--strict')).toMatchObject({ code: 2, stderr: expect.stringContaining('--strict') });
    expect(await runAsync('check', '--context', 'x', 'dist/')).toMatchObject({ code: 2, stderr: expect.stringContaining('--context goes with --cluster') });
    expect(await runAsync('check', '--cluster', '--kubeconfig', '/nonexistent/config')).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read kubeconfig') });
  });

  test('an unreachable server is an error naming the context and server', async () => {
    const file = kubeconfig({ token: 't' }, { 'server': 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true });
    expect(await runAsync('check', '--cluster', '--kubeconfig', file)).toMatchObject({ code: 1, stderr: expect.stringContaining('cluster main (https://127.0.0.1:1)') });
  });
});
