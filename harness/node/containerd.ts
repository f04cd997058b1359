import * as fs from 'fs';
import * as path from 'path';
import { run } from './host';

/** containerd's own places under the node's directory, so it shares nothing with a containerd of the machine. */
export interface ContainerdPaths {
  readonly dir: string;
  readonly socket: string;
  readonly cdiDir: string;
  readonly cniConfDir: string;
  readonly sandboxImage: string;
  /** Lower the sandboxes' oom_score_adj only with CAP_SYS_RESOURCE (see hasSysResource). */
  readonly restrictOomScoreAdj: boolean;
  /**
   * NRI's socket, where NRI plugins (the CPU driver, DRANET) connect; the machine's one place,
   * which their charts mount (`/var/run/nri`).
   */
  readonly nriSocket: string;
  /**
   * Pods' network namespaces under `/var/run/netns`, as on a real node, where a NIC driver
   * (DRANET, mounting it) finds the path NRI gives it; else under containerd's state directory.
   */
  readonly netnsUnderRun: boolean;
}

/**
 * containerd 2.x's CRI configuration (config version 3) for the test node: CDI on with the
 * node's spec directory, our pause image as the pinned sandbox image (never pulled: no registry),
 * cgroupfs through Debian's runc, the CNI plugins of Debian with our bridge network. NRI (on by
 * default since containerd 2.0) is written out: its socket for external plugins, and no plugins
 * it launches itself from the machine's `/opt/nri` or `/etc/nri`.
 */
export function containerdConfig(p: ContainerdPaths): string {
  const q = (s: string) => `'${s}'`;
  return `version = 3
root = ${q(path.join(p.dir, 'root'))}
state = ${q(path.join(p.dir, 'state'))}

[grpc]
  address = ${q(p.socket)}
[ttrpc]
  address = ${q(`${p.socket}.ttrpc`)}

[plugins.'io.containerd.cri.v1.images']
  snapshotter = 'overlayfs'
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = ${q(p.sandboxImage)}

[plugins.'io.containerd.cri.v1.runtime']
  enable_cdi = true
  cdi_spec_dirs = [${q(p.cdiDir)}]
  restrict_oom_score_adj = ${p.restrictOomScoreAdj}
  disable_apparmor = true
  netns_mounts_under_state_dir = ${!p.netnsUnderRun}
  [plugins.'io.containerd.cri.v1.runtime'.containerd]
    default_runtime_name = 'runc'
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
      runtime_type = 'io.containerd.runc.v2'
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
        SystemdCgroup = false
        BinaryName = ${q(run('sh', ['-c', 'command -v runc']).trim())}
        Root = ${q(path.join(p.dir, 'runc'))}
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ['/usr/lib/cni']
    conf_dir = ${q(p.cniConfDir)}

[plugins.'io.containerd.grpc.v1.cri']
  stream_server_address = '127.0.0.1'

[plugins.'io.containerd.nri.v1.nri']
  disable = false
  socket_path = ${q(p.nriSocket)}
  plugin_path = ${q(path.join(p.dir, 'nri', 'plugins'))}
  plugin_config_path = ${q(path.join(p.dir, 'nri', 'conf.d'))}
`;
}

/**
 * The node's pod network: Debian's bridge plugin on the node's bridge, host-local addresses from
 * the private subnet, no masquerading (pod traffic stays on this machine).
 */
export function cniConfig(bridge: string, subnet: string, ipamDir: string): string {
  return JSON.stringify({
    cniVersion: '1.0.0',
    name: 'cdk8s-dra-node',
    plugins: [
      {
        type: 'bridge',
        bridge,
        isGateway: true,
        ipMasq: false,
        hairpinMode: true,
        ipam: { type: 'host-local', ranges: [[{ subnet, rangeStart: subnet.replace(/\.0\.0\/16$/, '.1.1') }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: ipamDir },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  }, null, 2);
}

/** `ctr` against the node's containerd, in the CRI's namespace. */
export function ctr(binaries: string, socket: string, args: string[]): string {
  return run(path.join(binaries, 'ctr'), ['--address', socket, '--namespace', 'k8s.io', ...args]);
}

/** Imports an OCI archive (see ociArchive) as the CRI's image. */
export function importImage(binaries: string, socket: string, archive: Buffer, file: string): void {
  fs.writeFileSync(file, archive);
  ctr(binaries, socket, ['images', 'import', '--local', file]);
}
