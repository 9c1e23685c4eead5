import { expect, test, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

// The demo admin manages the team; a member made here changes their own password (the demo
// admin's is left alone: other specs sign in with it).

async function signIn(page: Page, email: string, password: string, next = "/staff") {
  await page.goto(next);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Staff desk" })).toBeVisible();
}

const ADMIN = ["desk@copydesk.example", "playwright demo desk"] as const;
const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test("an admin adds a member, changes their role and removes them; the member changes their password", async ({ page, browser }) => {
  const id = stamp();
  const email = `member-${id}@desk.example`;
  const name = `Member ${id}`;
  await signIn(page, ...ADMIN, "/staff/team");
  await expect(page.getByRole("heading", { level: 1, name: "Team" })).toBeVisible();

  const add = page.getByRole("form", { name: "Add a member" });
  await add.getByLabel("Name").fill(name);
  await add.getByLabel("Email").fill(email);
  await add.getByLabel("Role").selectOption("editor");
  await add.getByLabel("First password").fill("first password for them");
  await add.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("status")).toHaveText("Member added.");
  const row = page.locator("tbody tr", { hasText: email });
  await expect(row).toContainText("Never");
  await expect(row.getByLabel(`Role of ${name}`)).toHaveValue("editor");

  await row.getByLabel(`Role of ${name}`).selectOption("moderator");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Role changed.");
  await expect(page.locator("tbody tr", { hasText: email }).getByLabel(`Role of ${name}`)).toHaveValue("moderator");

  // The member signs in and chooses their own password.
  const theirs = await browser.newContext();
  const member = await theirs.newPage();
  await signIn(member, email, "first password for them", "/staff/account");
  await expect(member.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await expect(member.getByRole("cell", { name: "This browser" })).toBeVisible();
  await member.getByLabel("Current password").fill("not the password");
  await member.getByLabel("New password").fill("their very own password");
  await member.getByRole("button", { name: "Change password" }).click();
  await expect(member.getByText("That is not your current password.")).toBeVisible();
  await expect(member.getByLabel("Current password")).toHaveAttribute("aria-invalid", "true");
  await member.getByLabel("Current password").fill("first password for them");
  await member.getByLabel("New password").fill("their very own password");
  await member.getByRole("button", { name: "Change password" }).click();
  await expect(member.getByRole("status")).toHaveText("Password changed.");
  await theirs.close();

  await page.reload();
  await expect(page.locator("tbody tr", { hasText: email })).not.toContainText("Never");
  await page.locator("tbody tr", { hasText: email }).getByRole("button", { name: `Remove ${name}` }).click();
  await expect(page.getByRole("status")).toHaveText("Member removed.");
  await expect(page.locator("tbody tr", { hasText: email })).toHaveCount(0);
});

test("the last admin cannot step down", async ({ page }) => {
  await signIn(page, ...ADMIN, "/staff/team");
  const row = page.locator("tbody tr", { hasText: ADMIN[0] });
  await row.getByLabel(/^Role of /).selectOption("editor");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("alert")).toHaveText("The site needs at least one admin: make someone else an admin first.");
  await expect(page.locator("tbody tr", { hasText: ADMIN[0] }).getByLabel(/^Role of /)).toHaveValue("admin");
});

for (const scheme of ["light", "dark"] as const) {
  test(`the team and account pages pass axe in ${scheme} mode`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await signIn(page, ...ADMIN, "/staff/team");
    for (const path of ["/staff/team", "/staff/team?refused=last-admin", "/staff/account"]) {
      await page.goto(path);
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
      expect(results.violations.map((v) => `${path}: ${v.id}: ${v.help}`)).toEqual([]);
    }
    // With the form's errors shown.
    const add = page;
    await add.goto("/staff/team");
    await add.getByRole("form", { name: "Add a member" }).getByLabel("Name").fill("Someone");
    await add.getByRole("form", { name: "Add a member" }).getByLabel("Email").fill(ADMIN[0]);
    await add.getByRole("form", { name: "Add a member" }).getByLabel("First password").fill("long enough password");
    await add.getByRole("button", { name: "Add member" }).click();
    await expect(add.getByRole("alert")).toContainText("exists already");
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
    expect(results.violations.map((v) => `refused add: ${v.id}: ${v.help}`)).toEqual([]);
  });
}
