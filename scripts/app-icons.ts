/**
 * Writes the home-screen icons of the web app manifest (public/manifest.webmanifest): the map pin of
 * public/favicon.svg on the theme colour, as 192 and 512 pixel PNGs in public/icons/. The PNGs are committed; run
 * `npx tsx scripts/app-icons.ts` again only when the pin or the colour changes.
 */
import path from "node:path";
import sharp from "sharp";

const THEME = "#4f46e5";
// A square with room around the pin, so launchers that cut the icon into a circle ("maskable") keep all of it.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="${THEME}"/><g transform="translate(16 14)"><circle cx="16" cy="13" r="9" fill="#fff"/><circle cx="16" cy="13" r="4" fill="${THEME}"/><path d="M16 31 9 19h14z" fill="#fff"/></g></svg>`;

for (const size of [192, 512]) {
  const file = path.resolve("public/icons", `icon-${size}.png`);
  await sharp(Buffer.from(svg)).resize(size, size).png({ compressionLevel: 9, palette: true }).toFile(file);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
