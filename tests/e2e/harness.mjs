// What the browser tests share (portal, unit and office .test.mjs): Debian's headless
// Chromium shell (a fresh profile each run) with one isolated context per user, pages that record
// what went wrong in them, logging in through login.html, axe-core, the
// 375 px overflow check, TAP output.  tests/e2e/run.sh sets BASE, ARTIFACTS,
// CHROMIUM, E2E_PASSWORD (users e2e-unit, e2e-unit2, e2e-admin,
// e2e-audit), XINYONG and ROOT.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const BASE = process.env.BASE;
export const ARTIFACTS = process.env.ARTIFACTS;
export const PASSWORD = process.env.E2E_PASSWORD;
const AXE = fs.readFileSync(path.join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');

export class Fail extends Error {}
export function ok(cond, msg) { if (!cond) throw new Fail(msg); }

const tests = [];
export const test = (name, fn) => tests.push({ name, fn });
/** A test of the pages' presentation (axe-core, the 375 px overflow, the Tab order).  It runs
 * on both backends like any other: the HTML and CSS are the same, but the data they lay out
 * comes from the backend under test (issue 11: no test skipped on either backend). */
export const look = test;

export const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium-headless-shell',
	headless: true,
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		'--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** A fresh browser context (its own cookies and storage): one per user. */
export async function context() {
	const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN',
		acceptDownloads: true });
	ctx.setDefaultTimeout(30000);
	return ctx;
}

/** A page of ctx that records console errors, exceptions, failed requests and
 * requests to another host (page.problems); url opened when given. */
export async function open(ctx, url, width = 1366) {
	const page = await ctx.newPage();
	page.problems = [];
	page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
	page.on('pageerror', (e) => page.problems.push(`exception: ${e.message}`));
	// a favicon cut off by the page's own redirect (login.html?next=) is no fault
	page.on('requestfailed', (r) => {
		const why = r.failure()?.errorText;
		if (!(why === 'net::ERR_ABORTED' && /\/assets\/favicon\.svg$/.test(r.url())))
			page.problems.push(`failed: ${r.url()} ${why}`);
	});
	page.on('request', (r) => { if (!r.url().startsWith(BASE) && !r.url().startsWith('data:')) page.problems.push(`left the server: ${r.url()}`); });
	await page.setViewportSize({ width, height: width > 800 ? 768 : 740 });
	if (url) await page.goto(BASE + url, { waitUntil: 'networkidle' });
	return page;
}

/** No problem recorded on the page but those matching allowed (a 4xx the
 * page handles is logged by chromium as a failed resource: allow it). */
export function noProblems(page, allowed = []) {
	// a request cancelled by the page going elsewhere (a redirect to the
	// login, or on to ?next=) is ERR_ABORTED: not a failure of the page
	const left = page.problems.filter((p) => !/ net::ERR_ABORTED$/.test(p) && !allowed.some((a) => a.test(p)));
	ok(left.length === 0, left.join('\n'));
}

export const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, name) });

/** Log in through login.html as user (?next= when given); waits for the page it goes to. */
export async function login(page, user, next = '') {
	await page.goto(`${BASE}/login.html${next ? `?next=${encodeURIComponent(next)}` : ''}`,
		{ waitUntil: 'networkidle' });
	await page.fill('#name', user);
	await page.fill('#password', PASSWORD);
	await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/login.html')),
		page.click('#login-submit')]);
	await page.waitForLoadState('networkidle');
}

/** axe-core's serious and critical violations on the page, as lines. */
export async function axe(page) {
	await page.evaluate(AXE);
	const v = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
	return v.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')
		.map((x) => `${page.url()}: ${x.id} (${x.impact}) ${x.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
}

/** The elements wider than the viewport (375 px check), as descriptions. */
export function overflow(page) {
	return page.evaluate(() => {
		const w = document.documentElement.clientWidth;
		return [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > w + 1)
			.slice(0, 5).map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className} right ${Math.round(e.getBoundingClientRect().right)} > ${w}`);
	});
}

/** Run the tests in order, one TAP line each; then cleanup(); exits. */
export async function run(cleanup) {
	let n = 0;
	let failed = 0;
	for (const t of tests) {
		n++;
		try {
			await t.fn();
			console.log(`ok ${n} - ${t.name}`);
		} catch (e) {
			failed++;
			console.log(`not ok ${n} - ${t.name}`);
			for (const l of String(e instanceof Fail ? e.message : e.stack).split('\n').slice(0, 12))
				console.log(`#   ${l}`);
		}
	}
	console.log(`1..${n}`);
	await browser.close();
	if (cleanup) cleanup();
	process.exit(failed ? 1 : 0);
}
