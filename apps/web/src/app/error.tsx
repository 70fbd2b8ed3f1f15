"use client";

/**
 * Shown when a page fails to render. The error's text and stack stay on the server (Next sends
 * the browser only a digest in production); the digest lets an administrator find the log line.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="login">
      <div className="card">
        <h1>Something went wrong</h1>
        <p className="muted">
          This page could not be shown. Try again in a minute; if it keeps happening, tell your administrator
          {error.digest ? ` and quote reference ${error.digest}` : ""}.
        </p>
        <button type="button" onClick={reset}>
          Try again
        </button>
      </div>
    </main>
  );
}
