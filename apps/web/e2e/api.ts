import type { APIRequestContext } from "@playwright/test";
import { demoPassword, e2eEnv } from "./env";

/** One tRPC call over HTTP, as the phone makes it (bearer token, superjson envelope). */
export async function callApi<T>(
  request: APIRequestContext,
  path: string,
  input: unknown,
  options: { token?: string; kind: "query" | "mutation" },
): Promise<T> {
  const body = await callApiRaw(request, path, input, options);
  if (!body.result) throw new Error(`${path} failed: ${JSON.stringify(body.error)}`);
  return body.result.data.json as T;
}

/** The same call, answering with the result or the error shape (for refusals). */
export async function callApiRaw(
  request: APIRequestContext,
  path: string,
  input: unknown,
  options: { token?: string; kind: "query" | "mutation" },
): Promise<{ result?: { data: { json: unknown } }; error?: { json?: { data?: { reason?: string } } } }> {
  const web = e2eEnv.E2E_WEB_URL;
  const headers = options.token ? { authorization: `Bearer ${options.token}` } : undefined;
  const envelope = { 0: { json: input } };
  const response =
    options.kind === "query"
      ? await request.get(`${web}/api/trpc/${path}?batch=1&input=${encodeURIComponent(JSON.stringify(envelope))}`, {
          headers,
        })
      : await request.post(`${web}/api/trpc/${path}?batch=1`, { data: envelope, headers });
  const [first] = (await response.json()) as [{ result?: { data: { json: unknown } }; error?: unknown }];
  return first as { result?: { data: { json: unknown } }; error?: { json?: { data?: { reason?: string } } } };
}

/** A phone session's bearer token and its user, as the app gets at sign-in. */
export async function phoneSession(request: APIRequestContext, email: string) {
  return callApi<{ token: string; user: { orgUnitId: number } }>(
    request,
    "auth.signInMobile",
    { email, password: demoPassword },
    { kind: "mutation" },
  );
}

export async function phoneToken(request: APIRequestContext, email: string): Promise<string> {
  return (await phoneSession(request, email)).token;
}
