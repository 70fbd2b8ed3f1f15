/**
 * The console's response security headers, in one place: a per-request nonce Content Security
 * Policy for pages (set by `proxy.ts`) and a fixed set for every response (`next.config.ts`).
 */

/** Headers every response carries, pages, API and static files alike. */
export const baseSecurityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
] as const;

/** API responses are JSON and never render: they may load and be framed by nothing. */
export const apiContentSecurityPolicy =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Sent only over https: a browser remembers it for the host, so plain-http development stays usable. */
export const strictTransportSecurity = "max-age=31536000; includeSubDomains";

/** 16 random bytes, base64: unguessable per response, as CSP nonces must be. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The pages' policy. Scripts run only from this origin or with this response's nonce (Next
 * puts the nonce on its own inline scripts; 'strict-dynamic' lets those load the chunks they
 * need). Inline styles stay allowed: React's `style` attributes need it, and styles cannot run
 * code. Development adds what the dev server's hot reload needs ('unsafe-eval', websockets).
 * Images come from this origin (the local photo store's signed links are served here) and from
 * `imageOrigins`: the S3 store's origin when photos live there.
 */
export function createPageContentSecurityPolicy(
  nonce: string,
  options: { development: boolean; https: boolean; imageOrigins?: readonly string[] },
) {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    ["img-src 'self' blob: data:", ...(options.imageOrigins ?? [])].join(" "),
    "font-src 'self'",
    `connect-src 'self'${options.development ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}
