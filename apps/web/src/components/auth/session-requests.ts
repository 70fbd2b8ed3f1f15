/**
 * Signing in and out from the browser through next-auth's own endpoints, as its client does
 * (CSRF token, then a form post answered with JSON), without shipping that client: the console
 * uses only these two calls, and next-auth's browser package (with its session polling, tab
 * broadcasting and generator runtime) would be in every page's first load.
 */

const authBase = "/api/auth";

/** next-auth's double-submit CSRF token; its cookie is set by the same response. */
async function fetchCsrfToken(): Promise<string> {
  const response = await fetch(`${authBase}/csrf`, { cache: "no-store" });
  const body = await readJsonObject(response);
  const token = body.csrfToken;
  if (typeof token !== "string" || token === "") throw new Error("auth: no CSRF token");
  return token;
}

async function readJsonObject(response: Response): Promise<Record<string, unknown>> {
  const body: unknown = await response.json();
  if (typeof body !== "object" || body === null) throw new Error("auth: unexpected answer");
  return body as Record<string, unknown>;
}

async function postAuthForm(path: string, fields: Record<string, string>): Promise<Response> {
  const csrfToken = await fetchCsrfToken();
  return fetch(`${authBase}/${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, csrfToken, callbackUrl: window.location.href, json: "true" }),
  });
}

/**
 * Signs in with the credentials provider. A refusal comes back as the `error` parameter of the
 * URL next-auth answers with (the reason code, with the wait when throttled); network failures throw.
 */
export async function signInWithPassword(email: string, password: string): Promise<{ ok: boolean; error: string }> {
  const response = await postAuthForm("callback/credentials", { email, password });
  const { url } = await readJsonObject(response);
  const error = typeof url === "string" ? (new URL(url, window.location.href).searchParams.get("error") ?? "") : "";
  return { ok: response.ok && error === "", error };
}

/** Ends the session on the server (its cookie is cleared by the answer), then opens the sign-in page. */
export async function signOutToLogin(): Promise<void> {
  await postAuthForm("signout", {});
  window.location.assign("/login");
}
