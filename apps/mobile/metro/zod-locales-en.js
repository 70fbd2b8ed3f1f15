// Stands in for zod's `locales` barrel in the phone's bundles (see metro.config.js): English
// only, the locale zod configures by default. The app never shows zod's own messages, since it
// words every refusal from the shared catalog, so the other languages were dead weight.
export { default as en } from "zod/v4/locales/en.js";
