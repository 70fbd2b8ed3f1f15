/**
 * The console's session cookie. Over https it is `Secure` and `__Secure-`-prefixed (browsers
 * then refuse it from plain http or a script that tries to set it without Secure); always
 * HttpOnly, so page scripts cannot read it, and SameSite=Lax, so other sites cannot send it with
 * their form posts.
 */
export function sessionCookieFor(consoleUrl: string | undefined) {
  const secure = consoleUrl?.startsWith("https://") ?? false;
  return {
    secure,
    cookie: {
      name: `${secure ? "__Secure-" : ""}next-auth.session-token`,
      options: { httpOnly: true, sameSite: "lax" as const, path: "/", secure },
    },
  };
}
