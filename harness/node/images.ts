import { createHash } from 'crypto';
import * as fs from 'fs';

/** One file of an image's single layer. */
export interface ImageFile {
  /** Its path in the image, without the leading slash (`usr/bin/dra-example-kubeletplugin`). */
  readonly path: string;
  /** The host file whose bytes it gets. */
  readonly source: string;
  /** @default 0o755 */
  readonly mode?: number;
}

/** An empty directory of an image's layer. */
export interface ImageDir {
  /** Its path in the image, without the leading slash (`tmp`). */
  readonly path: string;
  readonly mode: number;
}

/** A one-layer image built from local files: what a Dockerfile `FROM scratch` + `COPY` makes. */
export interface LocalImage {
  /** `localhost/pause:cdk8s-dra`: containerd's name for it once imported. */
  readonly name: string;
  readonly files: ImageFile[];
  /** Empty directories the program needs (`tmp/`, mode 1777 for a temp dir). @default none */
  readonly dirs?: ImageDir[];
  /** @default none: `cmd` runs, or the pod's command */
  readonly entrypoint?: string[];
  /**
   * The default arguments: the whole command line for an image without entrypoint, which a pod's
   * `args` then replace (DRANET's image runs `CMD ["/dranet"]` and its chart passes `args: [/dranet, ...]`).
   * @default none
   */
  readonly cmd?: string[];
  /** @default none */
  readonly env?: string[];
  /** `uid:gid`. @default root */
  readonly user?: string;
  /** Image labels: a second tag of the same binary differs by one, so its digest differs too. @default none */
  readonly labels?: { [name: string]: string };
}

const BLOCK = 512;

/**
 * An OCI image layout (https://github.com/opencontainers/image-spec/blob/main/image-layout.md) as
 * one tar archive, which `ctr images import` takes: no registry is reachable from the test node.
 * Deterministic: no timestamps, owners root, entries in order, so the same files give the same digest.
 */
export function ociArchive(image: LocalImage): Buffer {
  const layer = tar(layerEntries(image.files, image.dirs ?? []));
  const layerDigest = sha256(layer);
  const config = json({
    architecture: 'amd64',
    os: 'linux',
    config: {
      ...(image.entrypoint ? { Entrypoint: image.entrypoint } : {}),
      ...(image.cmd ? { Cmd: image.cmd } : {}),
      ...(image.env ? { Env: image.env } : {}),
      ...(image.user ? { User: image.user } : {}),
      ...(image.labels ? { Labels: image.labels } : {}),
    },
    // An uncompressed layer's diff ID is its digest.
    rootfs: { type: 'layers', diff_ids: [layerDigest] },
  });
  const manifest = json({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }],
  });
  const index = json({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: sha256(manifest),
      size: manifest.length,
      platform: { architecture: 'amd64', os: 'linux' },
      annotations: {
        'io.containerd.image.name': image.name,
        'org.opencontainers.image.ref.name': image.name.split(':').pop()!,
      },
    }],
  });
  const blob = (content: Buffer) => ({ path: `blobs/sha256/${sha256(content).slice('sha256:'.length)}`, content, mode: 0o644 });
  return tar([
    { path: 'oci-layout', content: json({ imageLayoutVersion: '1.0.0' }), mode: 0o644 },
    { path: 'index.json', content: index, mode: 0o644 },
    { path: 'blobs/', mode: 0o755 },
    { path: 'blobs/sha256/', mode: 0o755 },
    blob(layer), blob(config), blob(manifest),
  ]);
}

interface TarEntry {
  /** A trailing slash makes a directory. */
  readonly path: string;
  readonly content?: Buffer;
  readonly mode: number;
}

/** The layer's entries: the empty directories, then every parent directory once, before its files. */
function layerEntries(files: ImageFile[], emptyDirs: ImageDir[]): TarEntry[] {
  const entries: TarEntry[] = [...emptyDirs].sort((a, b) => a.path.localeCompare(b.path)).map(d => ({ path: `${d.path}/`, mode: d.mode }));
  const dirs = new Set<string>(entries.map(e => e.path));
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const parts = file.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = `${parts.slice(0, i).join('/')}/`;
      if (!dirs.has(dir)) {
        dirs.add(dir);
        entries.push({ path: dir, mode: 0o755 });
      }
    }
    entries.push({ path: file.path, content: fs.readFileSync(file.source), mode: file.mode ?? 0o755 });
  }
  return entries;
}

/** A POSIX ustar archive. */
function tar(entries: TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const content = entry.content ?? Buffer.alloc(0);
    blocks.push(ustarHeader(entry.path, entry.mode, content.length, entry.path.endsWith('/') ? '5' : '0'));
    blocks.push(content, Buffer.alloc((BLOCK - (content.length % BLOCK)) % BLOCK));
  }
  blocks.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(blocks);
}

function ustarHeader(name: string, mode: number, size: number, type: '0' | '5'): Buffer {
  if (Buffer.byteLength(name) > 100) {
    throw new Error(`tar entry name over 100 bytes: ${name}`);
  }
  const header = Buffer.alloc(BLOCK);
  const octal = (value: number, offset: number, width: number) =>
    header.write(`${value.toString(8).padStart(width - 1, '0')}\0`, offset, 'ascii');
  header.write(name, 0, 'utf-8');
  octal(mode, 100, 8);
  octal(0, 108, 8); // uid
  octal(0, 116, 8); // gid
  octal(size, 124, 12);
  octal(0, 136, 12); // mtime
  header.write(type, 156, 'ascii');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  // The checksum is taken with its own field as spaces.
  header.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return header;
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

function sha256(content: Buffer): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}
