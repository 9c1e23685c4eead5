import { expect, test, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { createHmac } from "node:crypto";

// A member turns on the second sign-in step with a code computed here as an authenticator
// app would (RFC 6238), then signs in with the next code.

function base32(secret: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/=+$/, "")) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function totp(secret: string, unixSecs: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSecs / 30)));
  const digest = createHmac("sha1", base32(secret)).update(counter).digest();
  const offset = digest[19] & 0x0f;
  const number = ((digest[offset] & 0x7f) << 24) | (digest[offset + 1] << 16) | (digest[offset + 2] << 8) | digest[offset + 3];
  return String(number % 1_000_000).padStart(6, "0");
}

async function signInWithPassword(page: Page, email: string, password: string, next = "/staff") {
  await page.goto(next);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a member turns on the second step and signs in with a code", async ({ page, browser }) => {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const email = `twostep-${id}@desk.example`;
  await signInWithPassword(page, "desk@copydesk.example", "playwright demo desk", "/staff/team");
  const add = page.getByRole("form", { name: "Add a member" });
  await add.getByLabel("Name").fill(`Two Step ${id}`);
  await add.getByLabel("Email").fill(email);
  await add.getByLabel("First password").fill("first password for them");
  await add.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("status")).toHaveText("Member added.");

  const context = await browser.newContext();
  const member = await context.newPage();
  await signInWithPassword(member, email, "first password for them", "/staff/account");
  await expect(member.getByRole("heading", { name: "Second sign-in step" })).toBeVisible();
  const secret = (await member.locator(".totp-secret").textContent())!.trim();
  const turnedOnAt = Date.now() / 1000;
  await member.getByLabel("Code from the app").fill(totp(secret, turnedOnAt));
  await member.getByRole("button", { name: "Turn on" }).click();
  await expect(member.getByRole("status")).toContainText("Keep these recovery codes somewhere safe");
  await expect(member.locator(".recovery-codes li")).toHaveCount(10);
  const results = await new AxeBuilder({ page: member }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  expect(results.violations.map((v) => `codes shown: ${v.id}: ${v.help}`)).toEqual([]);
  await member.getByRole("button", { name: "Sign out" }).first().click();

  await signInWithPassword(member, email, "first password for them", "/staff/account");
  const code = member.getByLabel("Code from your authenticator app");
  await expect(code).toBeVisible();
  const axe = await new AxeBuilder({ page: member }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  expect(axe.violations.map((v) => `code form: ${v.id}: ${v.help}`)).toEqual([]);
  await code.fill("000000");
  await member.getByRole("button", { name: "Continue" }).click();
  await expect(member.getByText("That code is not right.")).toBeVisible();
  // The step after the one that turned it on: never the same code twice.
  await member.getByLabel("Code from your authenticator app").fill(totp(secret, turnedOnAt + 30));
  await member.getByRole("button", { name: "Continue" }).click();
  await expect(member.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await expect(member.getByText("9 recovery codes left").or(member.getByText("10 recovery codes left"))).toBeVisible();
  await context.close();

  await page.goto("/staff/team");
  await page.locator("tbody tr", { hasText: email }).getByRole("button", { name: /^Remove / }).click();
  await expect(page.getByRole("status")).toHaveText("Member removed.");
});
