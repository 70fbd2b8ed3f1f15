import { expect, type Page } from "@playwright/test";
import { demoPassword, e2eEnv } from "./env";

/** Signs in to the console through its form, as a person would (the form in Bahasa Indonesia). */
export async function signInToConsole(page: Page, email: string) {
  await page.goto(`${e2eEnv.E2E_WEB_URL}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Kata sandi").fill(demoPassword);
  await page.getByRole("button", { name: "Masuk" }).click();
  await expect(page.getByTestId("signed-in-as")).not.toBeEmpty();
}
