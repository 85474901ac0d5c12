// The public portal in a real browser (tests/e2e/run.sh starts the server and
// sets BASE, ARTIFACTS, CHROMIUM; harness.mjs).  One TAP line per test.
import { BASE, axe, context, noProblems, ok, open as openIn, run, shot, test, look } from './harness.mjs';

const PAGES = ['/', '/search.html?q=%E8%90%A5%E5%8F%A3', '/subject.html', '/publicity.html?category=%E8%A1%8C%E6%94%BF%E5%A4%84%E7%BD%9A',
	'/lists.html', '/memoranda.html'];

const ctx = await context();
// a page that records what went wrong in it (harness.mjs)
const open = (url, width = 1366) => openIn(ctx, url, width);

// first contentful paint and the page's weight (every response, uncompressed),
// printed as a TAP comment (bench/RESULTS.md); the weight must stay < 300 KB
async function weigh(page, label) {
	const perf = await page.evaluate(() => ({
		fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
		bytes: performance.getEntriesByType('resource').reduce((n, e) => n + e.decodedBodySize, 0)
			+ performance.getEntriesByType('navigation')[0].decodedBodySize,
	}));
	console.log(`# ${label}: first contentful paint ${Math.round(perf.fcp)} ms, ${perf.bytes} bytes uncompressed`);
	ok(perf.bytes < 300 * 1024, `${label} page weight ${perf.bytes} bytes (over 300 KB)`);
}

// a subject the API shows with records: a legal person of the newest 行政处罚
async function someSubject() {
	const r = await fetch(`${BASE}/api/v1/penalties?kind=legal&limit=1`);
	const v = await r.json();
	ok(v.items && v.items.length, `no 行政处罚 in the demo: ${JSON.stringify(v).slice(0, 200)}`);
	return v.items[0].subject;
}

test('home renders: latest 双公示, list counts, memoranda, the index chart', async () => {
	const page = await open('/');
	ok(await page.locator('#xk-list li a').count() >= 1, 'no 行政许可 on the home page');
	ok(await page.locator('#cf-list li a').count() >= 1, 'no 行政处罚 on the home page');
	ok(await page.locator('#list-counts li').count() >= 2, 'no list counts');
	ok(await page.locator('#memo-list li a').count() >= 1, 'no memoranda');
	const w = await page.locator('#index-chart').evaluate((img) => img.complete && img.naturalWidth);
	ok(w > 0, 'the index chart did not load');
	ok((await page.title()).includes('信用中国（示例城市）'), 'title');
	await weigh(page, 'home');
	noProblems(page);
	await shot(page, 'home-1366.png');
	await page.close();
});

test('search a 2-character name → results → the subject page shows the name and records', async () => {
	const s = await someSubject();
	const name = [...s.name.replace(/（示例）$/, '')];
	const two = name.slice(2, 4).join(''); // past the city's name: fewer matches
	const page = await open('/');
	await page.fill('#q', two);
	await Promise.all([page.waitForURL(/search\.html/), page.click('#q-submit')]);
	await page.waitForSelector('#results table');
	const links = page.locator('#results td a');
	ok(await links.count() >= 1, `no results for ${two}`);
	const exact = links.filter({ hasText: s.name });
	const target = (await exact.count()) ? exact.first() : links.first();
	const want = (await target.textContent()).trim();
	await Promise.all([page.waitForURL(/subject\.html/), target.click()]);
	await page.waitForSelector('#h-name');
	ok((await page.textContent('#h-name')).trim() === want, `subject page heading is not ${want}`);
	ok(await page.locator('section[aria-labelledby="h-records"] tbody tr').count() >= 1, 'no records shown');
	const report = await page.getAttribute('a[href*="/report"]', 'href');
	ok(/^\/api\/v1\/subjects\/[^/]+\/report$/.test(report), `no 信用报告 link: ${report}`);
	noProblems(page);
	await page.close();
});

test('a USCC search goes straight to the subject', async () => {
	const s = await someSubject();
	const page = await open('/');
	await page.fill('#q', s.code);
	await Promise.all([page.waitForURL(/subject\.html\?code=/), page.click('#q-submit')]);
	await page.waitForSelector('#h-name');
	ok((await page.textContent('#h-name')).trim() === s.name, 'not the subject');
	const cdp = await ctx.newCDPSession(page); // measured as a first visit: no cache
	await cdp.send('Network.clearBrowserCache');
	await page.goto(page.url(), { waitUntil: 'networkidle' });
	await page.waitForSelector('#h-name');
	await weigh(page, 'subject');
	noProblems(page);
	await shot(page, 'subject-1366.png');
	await page.setViewportSize({ width: 375, height: 740 });
	await shot(page, 'subject-375.png');
	await page.close();
});

test('a 1-character search is refused next to the field, in Chinese', async () => {
	const page = await open('/');
	await page.fill('#q', '营');
	await page.click('#q-submit');
	ok((await page.textContent('#q-error')).includes('至少输入 2 个字'), 'no field error');
	ok(await page.getAttribute('#q', 'aria-invalid') === 'true', 'the field is not marked invalid');
	ok(page.url() === `${BASE}/`, 'the form was sent');
	await page.close();
});

test('行政处罚 page: keyset paging forward and back', async () => {
	const page = await open('/publicity.html?category=%E8%A1%8C%E6%94%BF%E5%A4%84%E7%BD%9A');
	const first = () => page.locator('#items tbody tr').first().locator('td').nth(1).textContent();
	ok(await page.locator('#items tbody tr').count() === 20, 'page 1 does not have 20 rows');
	const p1 = await first();
	await page.click('#feed-pager button:has-text("下一页")');
	await page.waitForFunction(() => document.querySelector('#feed-pager .status').textContent === '第 2 页');
	const p2 = await first();
	ok(p2 && p2 !== p1, `page 2 starts with the same record ${p1}`);
	await page.click('#feed-pager button:has-text("上一页")');
	await page.waitForFunction(() => document.querySelector('#feed-pager .status').textContent === '第 1 页');
	ok(await first() === p1, 'back on page 1: another record first');
	ok((await page.textContent('h1')).includes('行政处罚'), 'heading');
	noProblems(page);
	await page.close();
});

test('双公示 filters: an unknown unit and a reversed date range are shown next to the fields', async () => {
	const page = await open('/publicity.html');
	await page.fill('#f-from', '2019-10-01');
	await page.fill('#f-to', '2019-09-01');
	await page.click('#filters button[type=submit]');
	ok((await page.textContent('#f-to-error')).includes('不能早于'), 'no date error');
	await page.fill('#f-to', '');
	await page.fill('#f-unit', '没有这个单位');
	await page.click('#filters button[type=submit]');
	await page.waitForFunction(() => document.getElementById('f-unit-error').textContent !== '');
	ok((await page.textContent('#f-unit-error')).includes('没有名为'), 'no unit error');
	await page.close();
});

test('red/black list page: both kinds, a black list\'s entries', async () => {
	const page = await open('/lists.html');
	ok(await page.locator('#red-types li a').count() >= 1, 'no red lists');
	ok(await page.locator('#black-types li a').count() >= 1, 'no black lists');
	await Promise.all([page.waitForURL(/type=/), page.click('#black-types a:has-text("地方发布黑名单")')]);
	await page.waitForSelector('#entries tbody tr');
	ok(await page.locator('#entries tbody tr').count() >= 1, 'no entries');
	noProblems(page);
	await page.close();
});

test('memoranda: a memorandum with its measures', async () => {
	const page = await open('/memoranda.html');
	await Promise.all([page.waitForURL(/doc=/), page.click('#memo li a >> nth=0')]);
	await page.waitForSelector('#memo tbody tr');
	ok(await page.locator('#memo tbody tr').count() >= 1, 'no measures');
	noProblems(page);
	await page.close();
});

look('at 375 px no element is wider than the viewport (every page)', async () => {
	const bad = [];
	for (const url of PAGES) {
		const page = await open(url, 375);
		const over = await page.evaluate(() => {
			const w = document.documentElement.clientWidth;
			const out = [];
			if (document.documentElement.scrollWidth > w) out.push(`page scrolls sideways (${document.documentElement.scrollWidth}px)`);
			for (const e of document.querySelectorAll('body *')) {
				const r = e.getBoundingClientRect();
				if (r.width && (r.right > w + 0.5 || r.left < -0.5) && !e.closest('.skip'))
					out.push(`${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${e.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
			}
			return out.slice(0, 5);
		});
		if (over.length) bad.push(`${url}: ${over.join('; ')}`);
		if (url === '/') await shot(page, 'home-375.png');
		await page.close();
	}
	ok(!bad.length, bad.join('\n'));
});

look('axe-core: no serious or critical violations (every page)', async () => {
	const bad = [];
	for (const url of PAGES) {
		const page = await open(url);
		bad.push(...await axe(page));
		await page.close();
	}
	ok(!bad.length, bad.join('\n'));
});

test('keyboard: Tab reaches the search box and its button', async () => {
	const page = await open('/');
	const seen = [];
	for (let i = 0; i < 20 && !seen.includes('q-submit'); i++) {
		await page.keyboard.press('Tab');
		seen.push(await page.evaluate(() => document.activeElement.id || document.activeElement.tagName));
	}
	ok(seen.includes('q') && seen.includes('q-submit'), `focus went: ${seen.join(' ')}`);
	await page.keyboard.press('Shift+Tab');
	await page.keyboard.type('营口');
	await page.keyboard.press('Enter');
	await page.waitForURL(/search\.html\?q=/);
	await page.close();
});

test('every page and asset is served with the page CSP, an ETag and 304 on revalidation', async () => {
	for (const u of ['/', '/assets/common.js', '/assets/site.css']) {
		const r = await fetch(BASE + u);
		ok(r.status === 200, `${u}: ${r.status}`);
		ok(/script-src 'self'/.test(r.headers.get('content-security-policy')), `${u}: CSP`);
		const etag = r.headers.get('etag');
		const r2 = await fetch(BASE + u, { headers: { 'If-None-Match': etag } });
		ok(r2.status === 304, `${u}: revalidation answered ${r2.status}`);
	}
});

await run();
