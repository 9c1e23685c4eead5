// Shared steps of the correction specs.
import { BrowserContext, expect, Page } from "@playwright/test";
import { execFileSync } from "node:child_process";

// Demo article with a deliberate typo ("diffrence") in its last paragraph.
export const RIVER = "/articles/river-temperatures-hit-record-as-anglers-report-fish-deaths";

export type Group = { article: string; quote: string; suggested: string; kind: string; reports: number; notes: string[]; start: number; end: number };

/** The suggestions stored so far, read with the `copydesk corrections` command. */
export function storedGroups(): Group[] {
  const out = execFileSync(process.env.COPYDESK_BIN ?? "../target/release/copydesk", ["corrections"], {
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL ?? "sqlite://e2e.db", RUST_LOG: "error" },
  }).toString();
  return out.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line));
}

/** Screen coordinates of the start and end of `phrase` inside the element matching `selector`. */
export async function phraseBounds(page: Page, selector: string, phrase: string) {
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

export async function dragSelect(page: Page, selector: string, phrase: string) {
  await page.locator(selector).getByText(phrase, { exact: false }).first().scrollIntoViewIfNeeded();
  const b = await phraseBounds(page, selector, phrase);
  await page.mouse.move(b.x1, b.y1);
  await page.mouse.down();
  await page.mouse.move(b.x2, b.y2, { steps: 8 });
  await page.mouse.up();
  expect(await page.evaluate(() => window.getSelection()!.toString())).toBe(phrase);
}

/** Selects from `from` in one element to the end of `to` in another, as a reader dragging would. */
export async function selectAcross(page: Page, fromSelector: string, from: string, toSelector: string, to: string) {
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

export async function openArticle(page: Page) {
  await page.goto(RIVER);
  await expect(page.locator(".cd-widget[data-hydrated='true']")).toBeAttached();
}

export const dialog = (page: Page) => page.getByRole("dialog", { name: "Suggest a correction" });


// Demo articles for the comment specs: pre-moderated (the site default), post-moderated,
// one with a conversation (pre-moderated), one with comments closed.
export const SCHOOL = "/articles/free-school-lunches-extended-to-all-primary-pupils";
export const LIBRARY = "/articles/central-library-to-open-on-sundays-from-january";
export const TRAM = "/articles/council-approves-eastern-tram-line-after-six-hour-debate";
export const BUDGET = "/articles/city-faces-38-million-euro-budget-gap-next-year-auditors-warn";

/** Makes this test's browser a reader of its own: a distinct address, so rate limits and
 * "one report per reader" apply per test, as they would per person. */
export async function actAsReader(context: BrowserContext, title: string) {
  let hash = 0;
  for (const c of title) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  const ip = `198.51.${(hash >>> 8) % 250}.${(hash % 250) + 1}`;
  await context.setExtraHTTPHeaders({ "x-forwarded-for": ip });
}

/** Opens an article and waits until its comment forms are hydrated. */
export async function openComments(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator("form.comment-form[novalidate]").first()).toBeAttached();
}

export const commentBox = (page: Page) => page.getByRole("form", { name: "Write a comment" });
