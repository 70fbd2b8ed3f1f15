import Link from "next/link";

export default function NotFound() {
  return (
    <main className="login">
      <div className="card">
        <h1>Page not found</h1>
        <p className="muted">There is no page at this address. Check the link, or go back to the console.</p>
        <Link href="/">Back to the console</Link>
      </div>
    </main>
  );
}
