/**
 * The artifact port: generate uploads the patch, record and check logs; gate, publish and the failure path
 * download them. In Actions it is `@actions/artifact` (same run, by name); elsewhere a directory, so the CLI
 * and tests run the same steps.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';

export interface ArtifactStore {
  upload(name: string, files: string[], rootDir: string): Promise<{ id?: number; url?: string }>;
  /** Download into `dir`; false when the artifact does not exist. */
  download(name: string, dir: string): Promise<boolean>;
}

export function actionsArtifactStore(run: {
  serverUrl: string;
  repository: string;
  runId: string;
}): ArtifactStore {
  const client = new DefaultArtifactClient();
  return {
    async upload(name, files, rootDir) {
      const { id } = await client.uploadArtifact(name, files, rootDir, { retentionDays: 30 });
      return {
        ...(id
          ? { id, url: `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}/artifacts/${id}` }
          : {}),
      };
    },
    async download(name, dir) {
      try {
        const { artifact } = await client.getArtifact(name);
        await client.downloadArtifact(artifact.id, { path: dir });
        return true;
      } catch (err) {
        if ((err as Error).name === 'ArtifactNotFoundError') return false;
        throw err;
      }
    },
  };
}

export function directoryArtifactStore(base: string): ArtifactStore {
  return {
    async upload(name, files) {
      const dir = join(base, name);
      mkdirSync(dir, { recursive: true });
      for (const f of files) copyFileSync(f, join(dir, basename(f)));
      return { url: `file://${dir}` };
    },
    async download(name, dir) {
      const from = join(base, name);
      if (!existsSync(from)) return false;
      mkdirSync(dir, { recursive: true });
      for (const f of readdirSync(from)) copyFileSync(join(from, f), join(dir, f));
      return true;
    },
  };
}
