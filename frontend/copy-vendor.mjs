// Copies the dashboard's browser libraries from node_modules into the Python package's static folder.
// Run by `npm run build` (the Makefile's install step runs `npm ci` first); the output is git-ignored.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "basewatch", "web", "static", "vendor");
const files = {
  "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
  "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
  "leaflet/images": "leaflet/dist/images",
  "chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
};
rmSync(out, { recursive: true, force: true });
for (const [dest, src] of Object.entries(files)) {
  mkdirSync(dirname(join(out, dest)), { recursive: true });
  cpSync(join(here, "node_modules", src), join(out, dest), { recursive: true });
}
writeFileSync(join(out, "README.txt"), "Built by frontend/copy-vendor.mjs from npm packages; do not edit or commit.\n");
console.log(`copied ${Object.keys(files).length} assets into ${out}`);
