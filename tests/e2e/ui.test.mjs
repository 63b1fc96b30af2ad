// End-to-end test of the web UI in headless Chromium.
//
// Ingests the bundled examples plus tests/fixtures/store/events-v1.jsonl
// (documents with events, text written for the tests) into a fresh store,
// serves it on 127.0.0.1 (a port the OS picks), then: searches "Putin", opens
// the seed article, clicks one of its events and sees its sentence, opens the fixture article and clicks its event, checks
// the sentence, actor, date, modality and attribution shown, looks at the
// timeline and the network, and saves screenshots.
//
// Usage: node ui.test.mjs DATELINE_BINARY   (scripts/e2e.sh builds and runs it)
// Env: CHROMIUM (default /usr/bin/chromium), E2E_OUT (screenshots, default ./out).
import { chromium } from "playwright-core";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const bin = path.resolve(process.argv[2] || path.join(root, "target/debug/dateline"));
const out = path.resolve(process.env.E2E_OUT || path.join(here, "out"));
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
mkdirSync(out, { recursive: true });

const work = mkdtempSync(path.join(tmpdir(), "dateline-e2e-"));
const data = path.join(work, "store");
let server = null;
let context = null;
let passed = 0;
const errors = [];
let failed = 0;

function check(name, ok, detail) {
  if (ok) { passed++; console.log(`ok - ${name}`); }
  else { failed++; console.log(`not ok - ${name}${detail ? ": " + detail : ""}`); }
}

function cleanup() {
  if (server && server.exitCode === null) server.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}

async function startServer() {
  server = spawn(bin, ["serve", "--quiet", "--addr", "127.0.0.1:0", "--data", data], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not start in 60 s")), 60000);
    let buf = "";
    server.stdout.on("data", (chunk) => {
      buf += chunk.toString();
      const m = buf.match(/serving (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on("exit", (code) => { clearTimeout(timer); reject(new Error(`the server exited (${code})`)); });
  });
}

async function main() {
  const ing = spawnSync(bin, ["ingest", "--quiet", "--data", data, "examples/", "tests/fixtures/store/events-v1.jsonl"], { cwd: root, encoding: "utf8", timeout: 300000 });
  check("ingest the examples and the events fixture", ing.status === 0 || ing.status === 1, ing.stderr);
  const url = await startServer();
  console.log(`# serving at ${url}`);

  context = await chromium.launchPersistentContext(path.join(work, "profile"), {
    executablePath: chromiumPath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
    viewport: { width: 1360, height: 900 },
  });
  context.setDefaultTimeout(15000);
  // no traffic anywhere but the server under test
  await context.route("**/*", (route) => (route.request().url().startsWith(url) ? route.continue() : route.abort()));
  const page = context.pages()[0] || (await context.newPage());
  page.on("pageerror", (e) => errors.push(String(e)));

  await page.goto(url);
  await page.waitForSelector("#documents li");
  check("the UI loads the document list", (await page.locator("#documents li").count()) > 0);

  // search "Putin"
  await page.fill("#q", "Putin");
  await page.press("#q", "Enter");
  await page.waitForSelector("#results li");
  const titles = await page.locator("#results a.hit").allInnerTexts();
  check("search finds Putin articles", titles.length >= 2, titles.join(" | "));
  check("search results highlight the word", (await page.locator("#results mark").count()) > 0);
  await page.screenshot({ path: path.join(out, "search.png"), fullPage: true });

  // the seed article
  const seed = page.locator("#results a.hit", { hasText: "Vladimir Putin y Kim Jong Un refuerzan" });
  check("the seed article is among the results", (await seed.count()) === 1);
  await seed.first().click();
  await page.waitForSelector("#doc-title");
  check("the seed article opens", (await page.textContent("#doc-title")).includes("Vladimir Putin y Kim Jong Un"));
  const seedTriggers = await page.locator("#doc-text .trigger").count();
  check("the seed article shows its events", seedTriggers > 0, String(seedTriggers));
  if (seedTriggers > 0) {
    await page.locator("#doc-text .trigger").first().click();
    await page.waitForSelector("#event-sentence");
    const sentence = (await page.textContent("#event-sentence")) || "";
    check("clicking an event of the seed shows its sentence", sentence.trim().length > 0 && (await page.textContent("#doc-text")).includes(sentence.trim()), sentence);
  }
  await page.screenshot({ path: path.join(out, "seed.png"), fullPage: true });

  // the fixture article with events
  await page.goBack();
  await page.waitForSelector("#results li");
  await page.locator("#results a.hit", { hasText: "Putin and Kim sign a defence pact" }).click();
  await page.waitForSelector("#doc-text .trigger");
  check("entities are highlighted", (await page.locator("#doc-text .ent-PER").count()) >= 3);
  check("times are highlighted", (await page.locator("#doc-text .timex").count()) === 3);
  await page.locator("#doc-text .trigger", { hasText: "met" }).first().click();
  await page.waitForSelector("#event-sentence");
  const sentence = (await page.textContent("#event-sentence")).trim();
  check("clicking an event shows its sentence", sentence === "Russian President Vladimir Putin met North Korean leader Kim Jong Un in Pyongyang on Thursday, the Kremlin said.", sentence);
  check("… its actor", (await page.textContent("#event-actor")).includes("Vladimir Putin"));
  check("… its recipient", (await page.textContent("#event-recipient")).includes("Kim Jong Un"));
  check("… its date", (await page.textContent("#event-date")).includes("2025-08-14"));
  check("… its modality", (await page.textContent("#event-modality")).trim() === "asserted");
  check("… its attribution", (await page.textContent("#event-attribution")).includes("the Kremlin said"));
  check("… and the sentence is highlighted in the text", (await page.locator("#doc-text .in-sentence").count()) > 0);
  await page.locator("#event-list li", { hasText: "will visit" }).count(); // list entries are clickable too
  await page.locator("#event-list li").nth(2).click();
  check("an event from the list shows its modality", (await page.textContent("#event-modality")).trim() === "future");
  await page.locator("#event-list li").nth(0).click();
  await page.screenshot({ path: path.join(out, "document-event.png"), fullPage: true });

  // timeline and network
  await page.goto(url + "#/timeline");
  await page.waitForSelector("#timeline-chart rect");
  check("the timeline draws bars", (await page.locator("#timeline-chart rect").count()) > 0);
  await page.screenshot({ path: path.join(out, "timeline.png"), fullPage: true });
  await page.goto(url + "#/network");
  await page.waitForSelector("#network-graph circle");
  check("the network draws actors", (await page.locator("#network-graph circle").count()) >= 5);
  await page.screenshot({ path: path.join(out, "network.png"), fullPage: true });
  await page.locator("#network-graph circle").first().click();
  await page.waitForSelector("#events-table tbody tr");
  check("clicking an actor lists its events", (await page.locator("#events-table tbody tr").count()) > 0);
  await page.locator("#events-table tbody tr").first().click();
  await page.waitForSelector("#event-sentence");
  check("an event row opens its document at the event", (await page.textContent("#event-sentence")).trim().length > 0);

  check("no JavaScript errors", errors.length === 0, errors.join("; "));
  console.log(`# screenshots in ${out}`);
}

try {
  await main();
} catch (e) {
  failed++;
  console.log(`not ok - ${e.stack || e}`);
  if (errors.length) console.log(`# JavaScript errors: ${errors.join("; ")}`);
} finally {
  if (context) await context.close().catch(() => {});
  cleanup();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
