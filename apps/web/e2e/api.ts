import type { APIRequestContext } from "@playwright/test";
import { demoPassword, e2eEnv } from "./env";

/** One tRPC call over HTTP, as the phone makes it (bearer token, superjson envelope). */
export async function callApi<T>(
  request: APIRequestContext,
  path: string,
  input: unknown,
  options: { token?: string; kind: "query" | "mutation" },
): Promise<T> {
  const web = e2eEnv.E2E_WEB_URL;
  const headers = options.token ? { authorization: `Bearer ${options.token}` } : undefined;
  const envelope = { 0: { json: input } };
  const response =
    options.kind === "query"
      ? await request.get(`${web}/api/trpc/${path}?batch=1&input=${encodeURIComponent(JSON.stringify(envelope))}`, {
          headers,
        })
      : await request.post(`${web}/api/trpc/${path}?batch=1`, { data: envelope, headers });
  const body = (await response.json()) as [{ result?: { data: { json: T } }; error?: unknown }];
  if (!body[0].result) throw new Error(`${path} failed: ${JSON.stringify(body[0].error)}`);
  return body[0].result.data.json;
}

/** A phone session's token for a demo account, signed in through the API. */
export async function phoneToken(request: APIRequestContext, email: string): Promise<string> {
  const session = await callApi<{ token: string }>(
    request,
    "auth.signInMobile",
    { email, password: demoPassword },
    { kind: "mutation" },
  );
  return session.token;
}
