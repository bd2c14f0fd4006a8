import type { Config } from "tailwindcss";
import defaultColors from "tailwindcss/colors";
import plugin from "tailwindcss/plugin";

/**
 * Light and dark colours from one set of class names. The palettes the app uses are CSS variables: the light values
 * are Tailwind's own; on screens that prefer a dark scheme each scale is turned around (light fills become dark
 * ones, dark text light), so `bg-white text-slate-900` reads light-on-dark without a `dark:` class on every element.
 * Print always uses the light values. `white` is the surface colour (cards, inputs); on coloured buttons
 * (`bg-indigo-600 text-white`) the button turns light and its text dark, which keeps the contrast.
 */
const SCALES = ["slate", "indigo", "red", "green", "amber"] as const;
const STEPS = ["50", "100", "200", "300", "400", "500", "600", "700", "800", "900", "950"] as const;
type Step = (typeof STEPS)[number];

/** Which light step each step shows in the dark scheme. Slate (text and surfaces) keeps secondary text readable on
 * the darker surfaces; the coloured scales mirror around 500. */
const DARK_SLATE: Record<Step, Step> = {
  "50": "950",
  "100": "800",
  "200": "700",
  "300": "600",
  "400": "500",
  "500": "400",
  "600": "400",
  "700": "300",
  "800": "200",
  "900": "100",
  "950": "50",
};
const DARK_COLOUR: Record<Step, Step> = {
  "50": "950",
  "100": "900",
  "200": "800",
  "300": "700",
  "400": "300",
  "500": "400",
  "600": "400",
  "700": "300",
  "800": "200",
  "900": "100",
  "950": "50",
};
const DARK_WHITE = defaultColors.slate[900];

function channels(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `${(n >> 16) & 255} ${(n >> 8) & 255} ${n & 255}`;
}

const variable = (name: string) => `rgb(var(--color-${name}) / <alpha-value>)`;

const colors: Record<string, string | Record<string, string>> = { white: variable("white") };
const light: Record<string, string> = { "--color-white": channels("#ffffff") };
const dark: Record<string, string> = { "--color-white": channels(DARK_WHITE) };
for (const scale of SCALES) {
  const palette = defaultColors[scale] as Record<Step, string>;
  const mirror = scale === "slate" ? DARK_SLATE : DARK_COLOUR;
  colors[scale] = Object.fromEntries(STEPS.map((step) => [step, variable(`${scale}-${step}`)]));
  for (const step of STEPS) {
    light[`--color-${scale}-${step}`] = channels(palette[step]);
    dark[`--color-${scale}-${step}`] = channels(palette[mirror[step]]);
  }
}

export default {
  content: ["./app/**/*.{ts,tsx}"],
  theme: { extend: { colors } },
  plugins: [
    plugin(({ addBase }) => {
      addBase({
        ":root": { ...light, colorScheme: "light" },
        "@media screen and (prefers-color-scheme: dark)": { ":root": { ...dark, colorScheme: "dark" } },
      });
    }),
  ],
} satisfies Config;
