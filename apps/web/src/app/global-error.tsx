"use client";

/** Replaces the root layout when that itself fails; it must bring its own html and body. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <main>
          <h1>Something went wrong</h1>
          <p>
            Rantai could not be shown. Try again in a minute; if it keeps happening, tell your administrator
            {error.digest ? ` and quote reference ${error.digest}` : ""}.
          </p>
          <button type="button" onClick={reset}>
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
