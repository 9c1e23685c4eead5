import { defineConfig, devices } from "@playwright/test";

// The server is the release build, started on its own port with a fresh demo database
// (./dev.sh test sets the paths). Browsers come from Debian: a test tool's own browser
// download does not work here.
const port = 3100;

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  // A `test.only` left in would quietly skip the rest of the suite.
  forbidOnly: true,
  retries: 0,
  workers: 2,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    command: `"${process.env.COPYDESK_BIN ?? "../target/release/copydesk"}" serve --demo`,
    url: `${baseURL}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    env: {
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "sqlite://e2e.db",
      // No LEPTOS_* or site settings: the release binary finds its own build
      // (reading.spec checks that the CSS and the islands load).
      COPYDESK_LISTEN: `127.0.0.1:${port}`,
      RUST_LOG: "warn",
      // Tests act as different readers through X-Forwarded-For from this loopback "proxy",
      // so the real per-reader rate limits stay on.
      COPYDESK_TRUSTED_PROXIES: "127.0.0.1",
      // The demo admin's password, so the staff specs can sign in.
      COPYDESK_DEMO_PASSWORD: "playwright demo desk",
    },
  },
});
