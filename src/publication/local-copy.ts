/**
 * Local copies of a remote publication's snapshot files, so an unchanged one is not downloaded again
 * (If-None-Match with the ETag it was downloaded with). A local copy is only a cache of bytes: the caller
 * verifies it against the signed envelope's sha256 on every use, and a copy that fails is removed (forget()) so
 * the next run downloads it afresh. The envelope itself is never kept (see envelope()).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import type { PublicationStore } from "../store";
import { LATEST_NAME, SNAPSHOTS_DIR } from "./types";

export interface FetchedEnvelope {
  body: Buffer;
}

export interface FetchedSnapshot {
  path: string;
  fromCopy: boolean;
}

export class LocalCopies {
  private readonly dir: string;

  constructor(cacheDir: string, location: string) {
    this.dir = path.join(cacheDir, "publications", createHash("sha256").update(location).digest("hex").slice(0, 32));
  }

  /**
   * The envelope, always read afresh (it is a few KB). A local copy kept behind an ETag would let whoever can
   * write the cache directory answer for it: an older envelope, signed and still within maxAge, planted beside
   * the current ETag, would roll the gate back to an earlier fleet. Snapshot files are safe to keep: the signed
   * envelope names each by its sha256.
   */
  async envelope(store: PublicationStore): Promise<FetchedEnvelope> {
    return { body: await readFresh(store) };
  }

  async snapshot(store: PublicationStore, name: string): Promise<FetchedSnapshot> {
    if (store.localPath) return { path: store.localPath(name), fromCopy: false };
    const file = path.join(this.dir, ...name.split("/"));
    await fs.mkdir(path.dirname(file), { recursive: true });
    const etag = (await exists(file)) ? await readEtag(file) : undefined;
    const result = await store.download(name, file, etag);
    if (result.modified) await writeEtag(file, result.etag);
    return { path: file, fromCopy: !result.modified };
  }

  /** Removes local snapshot copies other than `keepName` (older publications). */
  async prune(keepName: string): Promise<void> {
    const dir = path.join(this.dir, SNAPSHOTS_DIR);
    const keep = path.basename(keepName);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => n !== keep && n !== `${keep}.etag`).map((n) => fs.rm(path.join(dir, n), { force: true })));
  }

  /** Drops every local copy of this location (after one failed verification). */
  async forget(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

async function readFresh(store: PublicationStore): Promise<Buffer> {
  const result = await store.read(LATEST_NAME);
  if (!result.modified) throw new Error(`${store.location}/${LATEST_NAME}: the store answered "not modified" to an unconditional read`);
  return result.body;
}

async function readEtag(file: string): Promise<string | undefined> {
  const text = await fs.readFile(`${file}.etag`, "utf8").catch(() => undefined);
  return text === undefined || text.trim() === "" ? undefined : text.trim();
}

async function writeEtag(file: string, etag: string | null): Promise<void> {
  if (etag === null) await fs.rm(`${file}.etag`, { force: true });
  else await fs.writeFile(`${file}.etag`, etag);
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}
