/** A directory as a store: files written whole (temp file, then rename), read in place. */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { AvHealthError, ErrorCodes } from "../errors";
import { MAX_SMALL_OBJECT_BYTES, tooLarge, type DownloadResult, type PublicationStore, type ReadResult, type StoredFile } from "./types";

export class DirectoryStore implements PublicationStore {
  readonly writable = true;
  readonly remote = false;
  constructor(private readonly dir: string) {}

  get location(): string {
    return this.dir;
  }

  localPath(name: string): string {
    return path.join(this.dir, ...name.split("/"));
  }

  async read(name: string): Promise<ReadResult> {
    let size: number;
    try {
      size = (await fs.stat(this.localPath(name))).size;
    } catch (error) {
      throw this.failure(name, error);
    }
    if (size > MAX_SMALL_OBJECT_BYTES) throw tooLarge(this.localPath(name));
    try {
      return { modified: true, body: await fs.readFile(this.localPath(name)), etag: null };
    } catch (error) {
      throw this.failure(name, error);
    }
  }

  async download(name: string, dest: string): Promise<DownloadResult> {
    try {
      await fs.copyFile(this.localPath(name), dest);
      return { modified: true, etag: null };
    } catch (error) {
      throw this.failure(name, error);
    }
  }

  async write(name: string, source: { file: string } | { body: Buffer }): Promise<void> {
    const target = this.localPath(name);
    const temp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await fs.mkdir(path.dirname(target), { recursive: true });
      if ("file" in source) await fs.copyFile(source.file, temp);
      else await fs.writeFile(temp, source.body);
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw new AvHealthError(ErrorCodes.STORE_UNREACHABLE, `Cannot write ${target}: ${(error as Error).message}. Check the directory and its permissions.`, { cause: error });
    }
  }

  async list(prefix: string): Promise<StoredFile[]> {
    const dir = this.localPath(prefix);
    const names = await fs.readdir(dir).catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? [] : Promise.reject(error)));
    const files: StoredFile[] = [];
    for (const name of names) {
      const stat = await fs.stat(path.join(dir, name)).catch(() => undefined);
      if (stat?.isFile()) files.push({ name: `${prefix.replace(/\/+$/, "")}/${name}`, lastModified: stat.mtime });
    }
    return files;
  }

  async remove(name: string): Promise<void> {
    await fs.rm(this.localPath(name), { force: true });
  }

  private failure(name: string, error: unknown): AvHealthError {
    const file = this.localPath(name);
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return new AvHealthError(ErrorCodes.PUBLICATION_NOT_FOUND, `${file} does not exist: publish to ${this.dir} with \`avhealth publish --to ${this.dir}\`, or fix the location.`, {
        cause: error,
        details: { location: this.dir },
      });
    }
    return new AvHealthError(ErrorCodes.STORE_UNREACHABLE, `Cannot read ${file}: ${(error as Error).message}.`, { cause: error, details: { location: this.dir } });
  }
}
