import { redirect } from "next/navigation";
import { getSessionUserId } from "~/server/auth";
import { SignInForm } from "./sign-in-form";

export default async function LoginPage() {
  if (await getSessionUserId()) redirect("/");
  return (
    <main className="login">
      <div className="card">
        <h1>Rantai</h1>
        <p className="muted">Sign in to watch your health centres' fridges and vaccine stock.</p>
        <SignInForm />
      </div>
    </main>
  );
}
