/**
 * `npm run build`, after `remix build`: writes brotli and gzip variants beside the client assets in public/build
 * (server/precompressed.ts serves them). `remix build` empties public/build first, so no variant outlives its file.
 */
import path from "node:path";
import { precompressDirectory } from "../server/precompressed";

const dir = path.resolve(process.argv[2] ?? "public/build");
const started = Date.now();
const { files, bytes, brotliBytes } = await precompressDirectory(dir);
const kb = (n: number) => `${Math.round(n / 1024)} kB`;
console.log(
  `precompressed ${files} assets in ${path.relative(process.cwd(), dir) || "."}: ${kb(bytes)} → ${kb(brotliBytes)} brotli (${Date.now() - started} ms)`,
);
