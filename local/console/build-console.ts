import { mkdir, readdir, rename, rm, stat, writeFile, copyFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the UI's sources are, and where its bundle is written (git-ignored). */
export const consolePaths = { ui: join(here, 'ui'), dist: join(here, 'dist') } as const;

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

/** True when the bundle is missing or older than one of the UI's sources. */
export async function consoleIsStale(paths = consolePaths): Promise<boolean> {
  const built = await stat(join(paths.dist, 'app.js')).catch(() => undefined);
  return !built || built.mtimeMs < (await newestMtime(paths.ui));
}

/**
 * Bundles the UI (preact, elkjs, our TSX) with esbuild into `dist/`: index.html, app.js, app.css.
 * Everything the page loads comes from there, so the console works offline. The files are
 * written to a temporary directory and renamed into place, so a server reading `dist/` while
 * another process builds never sees half a bundle.
 */
export async function buildConsole(paths = consolePaths): Promise<void> {
  // esbuild is a devDependency: imported only when a build is needed.
  const { build } = await import('esbuild');
  const staging = `${paths.dist}.${process.pid}.${Date.now()}`;
  await mkdir(staging, { recursive: true });
  try {
    const result = await build({
      entryPoints: { app: join(paths.ui, 'main.tsx') },
      bundle: true,
      minify: true,
      sourcemap: false,
      format: 'esm',
      // The graph's layout engine (elkjs) becomes a chunk of its own, loaded when a graph is drawn.
      splitting: true,
      chunkNames: 'chunk-[hash]',
      target: 'es2022',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      outdir: staging,
      write: false,
      logLevel: 'silent',
    });
    for (const file of result.outputFiles) await writeFile(file.path, file.contents);
    await copyFile(join(paths.ui, 'index.html'), join(staging, 'index.html'));
    await rm(paths.dist, { recursive: true, force: true });
    await rename(staging, paths.dist);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
