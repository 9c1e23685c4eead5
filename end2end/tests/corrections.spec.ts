import { test, expect, Page } from "@playwright/test";
import { execFileSync } from "node:child_process";

// Demo article with a deliberate typo ("diffrence") in its last paragraph.
const RIVER = "/articles/river-temperatures-hit-record-as-anglers-report-fish-deaths";

type Group = { article: string; quote: string; suggested: string; kind: string; reports: number; notes: string[]; start: number; end: number };

/** The suggestions stored so far, read with the `copydesk corrections` command. */
function storedGroups(): Group[] {
  const out = execFileSync(process.env.COPYDESK_BIN ?? "../target/release/copydesk", ["corrections"], {
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL ?? "sqlite://e2e.db", RUST_LOG: "error" },
  }).toString();
  return out.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line));
}

/** Screen coordinates of the start and end of `phrase` inside the element matching `selector`. */
async function phraseBounds(page: Page, selector: string, phrase: string) {
  return page.evaluate(
    ([selector, phrase]) => {
      const root = document.querySelector(selector)!;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf(phrase);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + phrase.length);
        const rects = range.getClientRects();
        const first = rects[0];
        const last = rects[rects.length - 1];
        return { x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2 };
      }
      throw new Error(`phrase not found: ${phrase}`);
    },
    [selector, phrase] as const,
  );
}

async function dragSelect(page: Page, selector: string, phrase: string) {
  await page.locator(selector).getByText(phrase, { exact: false }).first().scrollIntoViewIfNeeded();
  const b = await phraseBounds(page, selector, phrase);
  await page.mouse.move(b.x1, b.y1);
  await page.mouse.down();
  await page.mouse.move(b.x2, b.y2, { steps: 8 });
  await page.mouse.up();
  expect(await page.evaluate(() => window.getSelection()!.toString())).toBe(phrase);
}

/** Selects from `from` in one element to the end of `to` in another, as a reader dragging would. */
async function selectAcross(page: Page, fromSelector: string, from: string, toSelector: string, to: string) {
  await page.evaluate(
    ([fromSelector, from, toSelector, to]) => {
      const find = (selector: string, phrase: string) => {
        const walker = document.createTreeWalker(document.querySelector(selector)!, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.textContent!.indexOf(phrase);
          if (at >= 0) return { node, at };
        }
        throw new Error(`not found: ${phrase}`);
      };
      const a = find(fromSelector, from);
      const b = find(toSelector, to);
      const range = document.createRange();
      range.setStart(a.node, a.at);
      range.setEnd(b.node, b.at + to.length);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
    },
    [fromSelector, from, toSelector, to] as const,
  );
}

async function openArticle(page: Page) {
  await page.goto(RIVER);
  await expect(page.locator(".cd-widget[data-hydrated='true']")).toBeAttached();
}

const dialog = (page: Page) => page.getByRole("dialog", { name: "Suggest a correction" });

test("select a word with the mouse, press Control+Enter, send a suggestion and find it stored", async ({ page }) => {
  await openArticle(page);
  await dragSelect(page, ".article-body", "diffrence");
  await page.keyboard.press("Control+Enter");
  await expect(dialog(page)).toBeVisible();
  await expect(dialog(page).locator("mark")).toHaveText("diffrence");
  await expect(dialog(page).locator(".cd-context")).toContainText("making a diffrence within");
  const suggested = dialog(page).getByLabel("Suggested text");
  await expect(suggested).toHaveValue("diffrence");
  await expect(suggested).toBeFocused();
  await suggested.fill("difference");
  await dialog(page).getByLabel("Type of problem").selectOption({ label: "Typo or spelling" });
  await dialog(page).getByLabel("Note for the editors (optional)").fill("Spelling — «mistake» 👀");
  await dialog(page).getByRole("button", { name: "Send suggestion" }).click();
  await expect(dialog(page).getByText("Thank you. The editors will review your suggestion.")).toBeVisible();

  const group = storedGroups().find((g) => g.suggested === "difference");
  expect(group).toBeDefined();
  expect(group!.quote).toBe("diffrence");
  expect(group!.kind).toBe("typo");
  expect(group!.notes).toEqual(["Spelling — «mistake» 👀"]);
  expect(group!.end - group!.start).toBe(9);
});

test("a keyboard selection and Control+Enter open the dialog; Escape closes it and returns focus", async ({ page }) => {
  await openArticle(page);
  // Start a selection just before "alders", then extend it with Shift+Arrow keys.
  await page.evaluate(() => {
    const walker = document.createTreeWalker(document.querySelector(".article-body")!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf("alders");
      if (at >= 0) {
        window.getSelection()!.collapse(node, at);
        return;
      }
    }
  });
  for (let i = 0; i < "alders".length; i++) await page.keyboard.press("Shift+ArrowRight");
  expect(await page.evaluate(() => window.getSelection()!.toString())).toBe("alders");

  const link = page.getByRole("link", { name: "write to us here" });
  await link.focus();
  await page.keyboard.press("Control+Enter");
  await expect(dialog(page)).toBeVisible();
  await expect(dialog(page).locator("mark")).toHaveText("alders");
  await page.keyboard.press("Escape");
  await expect(dialog(page)).toBeHidden();
  await expect(link).toBeFocused();
});

test("a selection across two paragraphs is suggested with Meta+Enter (macOS)", async ({ page }) => {
  await openArticle(page);
  await selectAcross(page, ".article-body", "began in 1974 this summer", ".article-body", "The agency's monitoring");
  await page.keyboard.press("Meta+Enter");
  await expect(dialog(page)).toBeVisible();
  await expect(dialog(page).locator("mark")).toContainText("began in 1974 this summer");
  await expect(dialog(page).locator("mark")).toContainText("The agency's monitoring");
  await dialog(page).getByLabel("Suggested text").fill("began in 1974, this summer. The agency's monitoring");
  await dialog(page).getByLabel("Type of problem").selectOption({ label: "Needs clarification" });
  await dialog(page).getByRole("button", { name: "Send suggestion" }).click();
  await expect(dialog(page).getByText("Thank you. The editors will review your suggestion.")).toBeVisible();
  const group = storedGroups().find((g) => g.kind === "clarification");
  expect(group?.quote).toMatch(/began in 1974 this summer.*\n\nThe agency's monitoring/s);
});

test("outside the article, or with nothing selected, Control+Enter does nothing", async ({ page }) => {
  await openArticle(page);
  await page.keyboard.press("Control+Enter");
  await expect(dialog(page)).toBeHidden();
  await selectAcross(page, ".byline", "By", ".byline", "By");
  await page.keyboard.press("Control+Enter");
  await expect(dialog(page)).toBeHidden();
  await selectAcross(page, ".site-footer", "independent local reporting", ".site-footer", "independent local reporting");
  await page.keyboard.press("Control+Enter");
  await expect(dialog(page)).toBeHidden();
  await expect(page.getByRole("button", { name: "Suggest a correction" })).toBeHidden();
});

test("the floating button opens the dialog for touch readers, and errors keep what was typed", async ({ page }) => {
  await openArticle(page);
  await dragSelect(page, ".article-body", "Henrik Dahl");
  const float = page.getByRole("button", { name: "Suggest a correction" });
  await expect(float).toBeVisible();
  await float.click();
  await expect(dialog(page)).toBeVisible();
  await expect(dialog(page).locator("mark")).toHaveText("Henrik Dahl");
  await dialog(page).getByLabel("Suggested text").fill("   ");
  await dialog(page).getByLabel("Email (optional)").fill("reader@example.org");
  await dialog(page).getByRole("button", { name: "Send suggestion" }).click();
  await expect(dialog(page).getByText("Write what the text should say.")).toBeVisible();
  await expect(dialog(page).getByLabel("Email (optional)")).toHaveValue("reader@example.org");
  await dialog(page).getByLabel("Suggested text").fill("Henrik Dahl (club secretary)");
  await dialog(page).getByRole("button", { name: "Send suggestion" }).click();
  await expect(dialog(page).getByText("Thank you. The editors will review your suggestion.")).toBeVisible();
});

test.describe("with JavaScript disabled", () => {
  test.use({ javaScriptEnabled: false });

  test("the article links to a plain correction form that works", async ({ page }) => {
    await page.goto(RIVER);
    await expect(page.getByText("To suggest a correction or clarification, write to us here")).toBeVisible();
    await page.getByRole("link", { name: "write to us here" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Suggest a correction" })).toBeVisible();
    await page.getByLabel("Phrase in question (optional)").fill("400 dead fish");
    await page.getByLabel("Type of problem").selectOption({ label: "Factual error" });
    await page.getByLabel("Suggested text").fill("more than 450 dead fish");
    await page.getByLabel("Note for the editors (optional)").fill("The club's own count was higher.");
    await page.getByRole("button", { name: "Send suggestion" }).click();
    await expect(page.getByText("Thank you. The editors will review your suggestion.")).toBeVisible();
    expect(storedGroups().some((g) => g.suggested === "more than 450 dead fish" && g.quote === "400 dead fish")).toBe(true);
  });
});
