// 信用分级分类 in a real browser (tests/e2e/run.sh: BASE, XINYONG_DB, users
// e2e-admin, e2e-audit, e2e-unit; harness.mjs): the test database is graded
// with the CLI first, then grades.html shows that run, a distribution whose
// counts are the CLI's `grade list --json` counted, the D subjects a page at
// a time as the CLI lists them, and a subject's explanation whose points add
// up to the score shown, its groups and indicators by the model's names; a unit operator and the public are refused the
// page's data; axe-core, 375 px and the keyboard; the admin switches public
// grades on and off there (the CLI and the audit log see it), the auditor
// only sees the setting.  One TAP line per test.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ARTIFACTS, BASE, axe, context, login, noProblems, ok, open as openIn, overflow, run, shot, test, look }
	from './harness.mjs';

const xy = (...args) => execFileSync(process.env.XINYONG, args, { encoding: 'utf8' });
const json = (...args) => JSON.parse(xy(...args, '--format', 'json'));
const admin = await context();
const got = {};

/** How many subjects of the CLI's list have each grade. */
const countBy = (subjects) => subjects.reduce((m, s) => ({ ...m, [s.grade]: (m[s.grade] || 0) + 1 }), {});
const centi = (x) => Math.round(Number(x) * 100);

/** A fresh browser of user, signed in through the login and sent on to url. */
async function signedIn(user, url) {
	const ctx = await context();
	const page = await openIn(ctx, '');
	await login(page, user, url);
	return { ctx, page };
}

/** axe-core 0 serious/critical on url (once sel is there) at 1366 and 375 px,
 * nothing wider than 375 px, and the 375 px screenshot name. */
async function accessible(url, sel, name) {
	for (const width of [1366, 375]) {
		const page = await openIn(admin, url, width);
		await page.waitForSelector(sel);
		const v = await axe(page);
		ok(v.length === 0, v.join('\n'));
		if (width === 375) {
			const wide = await overflow(page);
			ok(wide.length === 0, `${url} at 375 px: ${wide.join('; ')}`);
			await shot(page, name);
		}
		noProblems(page);
		await page.close();
	}
}

test('the CLI grades the test database', async () => {
	const r = json('grade', 'run');
	ok(r.subjects > 0, `nothing graded: ${JSON.stringify(r)}`);
	got.run = json('grade', 'runs').runs[0];
	got.list = json('grade', 'list').subjects;
	got.counts = countBy(got.list);
	got.d = got.list.filter((s) => s.grade === 'D');
	ok(got.run.id === r.run, `the newest run is not ${r.run}: ${got.run.id}`);
	ok(got.d.length > 20, `too few D subjects for two pages: ${got.d.length}`);
});

test('grades.html (after the login): the latest run and the distribution = grade list --json counted', async () => {
	ok(got.run, 'no run from the test before');
	const page = await openIn(admin, '/grades.html');
	ok(/\/login\.html\?next=%2Fgrades\.html$/.test(page.url()), `not sent to the login: ${page.url()}`);
	await login(page, 'e2e-admin', '/grades.html');
	ok(page.url() === `${BASE}/grades.html`, `not on grades.html: ${page.url()}`);
	await page.waitForSelector('#dist-table');
	ok(await page.locator('nav a[href="grades.html"][aria-current="page"]').count() === 1,
		'the office tabs do not mark 信用分级');
	const facts = await page.textContent('#run-facts');
	for (const want of [`第 ${got.run.id} 次`, got.run.as_of, `${got.run.subjects} 个`, got.run.sha256.slice(0, 12)])
		ok(facts.includes(want), `the run does not show ${want}: ${facts}`);
	ok(!facts.includes(got.run.sha256), 'the SHA-256 is not shortened');
	const shown = {};
	for (const cell of await page.locator('.dist-count').all())
		shown[await cell.getAttribute('data-grade')] = Number((await cell.textContent()).trim());
	for (const g of new Set([...'ABCD', ...Object.keys(got.counts)]))
		ok(shown[g] === (got.counts[g] || 0), `${g}: the page shows ${shown[g]}, the CLI lists ${got.counts[g] || 0}`);
	ok(await page.locator('.share-bar .share-fill').count() === Object.keys(shown).length, 'a bar per grade');
	const dWidth = await page.evaluate(() => document.querySelector('.dist-count[data-grade="D"]')
		.closest('tr').querySelector('.share-fill').style.width);
	const share = json('grade', 'counts').grades.find((g) => g.grade === 'D').share;
	ok(dWidth === `${share}%`, `D's bar is ${dWidth}, its share ${share}%`);
	noProblems(page, [/status of 401 /]); // the session asked for before the login
	await page.close();
});

test('D subjects a page at a time, as the CLI lists them', async () => {
	ok(got.d, 'no list from the test before');
	const page = await openIn(admin, '/grades.html');
	await page.waitForSelector('#list-table');
	await page.selectOption('#grade', 'D');
	await page.click('#filter-submit');
	await page.waitForFunction(() => /^D 级/.test(document.getElementById('list-status').textContent));
	await page.waitForSelector('#list-table');
	const codes = async () => (await page.locator('#list-table td[data-label="主体代码"]').allTextContents()).map((t) => t.trim());
	const first = await codes();
	ok(JSON.stringify(first) === JSON.stringify(got.d.slice(0, 20).map((s) => s.subject.code)),
		`page 1 is not the CLI's first 20 D subjects: ${first.join(' ')}`);
	const grades = await page.locator('#list-table td[data-label="等级"]').allTextContents();
	ok(grades.every((g) => g.trim() === 'D'), `not only D: ${grades.join(' ')}`);
	await page.click('#list-pager button:has-text("下一页")');
	await page.waitForFunction((c) => document.querySelector('#list-table td[data-label="主体代码"]')?.textContent !== c, first[0]);
	const second = await codes();
	ok(JSON.stringify(second) === JSON.stringify(got.d.slice(20, 40).map((s) => s.subject.code)),
		`page 2 is not the CLI's next D subjects: ${second.join(' ')}`);
	const api = json('grade', 'list', '--grade', 'D', '--limit', '20');
	ok(JSON.stringify(api.subjects.map((s) => s.subject.code)) === JSON.stringify(first),
		'grade list --limit 20 differs from the page');
	await page.click('#list-pager button:has-text("上一页")');
	await page.waitForFunction((c) => document.querySelector('#list-table td[data-label="主体代码"]')?.textContent === c, first[0]);
	ok(new URL(page.url()).searchParams.get('grade') === 'D', 'the address does not keep the grade');
	got.subject = got.d[0].subject.code;
	noProblems(page);
	await page.close();
});

test('a subject\'s explanation: its points add up to the score shown; its history', async () => {
	ok(got.subject, 'no subject from the test before');
	const page = await openIn(admin, '/grades.html?grade=D');
	await page.waitForSelector('#list-table');
	await shot(page, 'grades-1366.png');
	await page.click(`#list-table a:text-is("${got.subject}")`);
	await page.waitForSelector('#explain-items');
	const score = centi(await page.textContent('#explain-score'));
	const points = (await page.locator('#explain-items .points').allTextContents()).map(centi);
	const cli = json('grade', 'show', got.subject);
	ok(points.length === cli.items.length, `${points.length} items shown, the CLI has ${cli.items.length}`);
	ok(points.reduce((a, b) => a + b, 0) === score, `the points add up to ${points.reduce((a, b) => a + b, 0) / 100}, the score is ${score / 100}`);
	ok(score === centi(cli.score), `the score shown ${score / 100} is not the CLI's ${cli.score}`);
	ok((await page.textContent('#explain-grade')).startsWith(`${cli.grade} 级`), 'the grade');
	const shown = await page.textContent('#explain-items');
	for (const it of cli.items.filter((i) => i.group_name || i.indicator_name))
		for (const name of [it.group_name, it.indicator_name].filter(Boolean))
			ok(shown.includes(name), `the model's name ${name} is not shown: ${shown.slice(0, 300)}`);
	ok(cli.items.some((i) => i.group_name), 'the CLI gives no group names');
	ok(await page.locator('#history-table tbody tr').count() === json('grade', 'history', got.subject).history.length,
		'a history row per run');
	ok(new URL(page.url()).searchParams.get('code') === got.subject, 'the address does not name the subject');
	await page.locator('section[aria-labelledby="h-explain"]')
		.screenshot({ path: path.join(ARTIFACTS, 'grades-explain-1366.png') });
	noProblems(page);
	await page.close();
});

test('the subject form: empty and unknown codes refused at the field', async () => {
	const page = await openIn(admin, '/grades.html');
	await page.waitForSelector('#list-table');
	await page.click('#code-submit');
	ok((await page.textContent('#code-error')).includes('请填写主体代码'), 'an empty code is not refused');
	ok(await page.getAttribute('#code', 'aria-invalid') === 'true', 'the field is not marked invalid');
	await page.fill('#code', '91210802MA0XYQA99X');
	await page.click('#code-submit');
	await page.waitForFunction(() => document.getElementById('code-error').textContent.includes('没有这个主体'));
	noProblems(page, [/status of 404 /]);
	await page.close();
});

test('the auditor reads the page; a unit operator and the public are refused its data', async () => {
	const { ctx: audit, page } = await signedIn('e2e-audit', '/grades.html');
	await page.waitForSelector('#dist-table');
	noProblems(page, [/status of 401 /]); // the session asked for before the login
	const { ctx: unit, page: p2 } = await signedIn('e2e-unit', '/grades.html');
	ok((await p2.textContent('h1')).includes('无权访问'), 'a unit operator sees the page');
	ok(await p2.locator('#dist-table, #list-table').count() === 0, 'a unit operator sees grades');
	for (const path of ['grades?limit=1', 'grade-counts', 'grade-runs', `subjects/${got.subject}/grade`]) {
		const st = await p2.evaluate(async (p) => (await fetch(`/api/v1/${p}`)).status, path);
		ok(st === 403, `the unit operator gets ${st} for ${path}`);
		const pub = await p2.evaluate(async (p) => (await fetch(`/api/v1/${p}`, { credentials: 'omit' })).status, path);
		ok(pub === 401, `the public gets ${pub} for ${path}`);
	}
	await audit.close();
	await unit.close();
});

look('axe-core 0 serious/critical, nothing wider than 375 px, Tab reaches the forms and a subject', async () => {
	ok(got.subject, 'no subject from the test before');
	await accessible(`/grades.html?grade=D&code=${got.subject}`, '#explain-items', 'grades-375.png');
	const page = await openIn(admin, '/grades.html');
	await page.waitForSelector('#list-table');
	const seen = [];
	for (let i = 0; i < 80; i++) {
		await page.keyboard.press('Tab');
		const id = await page.evaluate(() => {
			const a = document.activeElement;
			return a.id || (a.closest('#list-table') ? 'subject-link' : a.tagName.toLowerCase());
		});
		seen.push(id);
		if (id === 'code-submit') break;
	}
	for (const want of ['grade', 'filter-submit', 'subject-link', 'code', 'code-submit'])
		ok(seen.includes(want), `Tab does not reach ${want}: ${seen.join(' ')}`);
	// back to a subject's link with Shift+Tab, and Enter shows its explanation
	let back = 0;
	while (back++ < 40 && !await page.evaluate(() => !!document.activeElement.closest('#list-table')))
		await page.keyboard.press('Shift+Tab');
	await page.keyboard.press('Enter');
	await page.waitForSelector('#explain-items');
	ok(await page.evaluate(() => document.activeElement.id) === 'h-explain', 'focus is not moved to 评分说明');
	noProblems(page);
	await page.close();
});

// office-inspect.html: a plan from its JSON and a draw of graded subjects
const PLAN = { name: '分级抽查页面测试（示例）', unit: '市场监管局',
	items: [{ item: '营业执照公示信息', basis: '《企业信息公示暂行条例》', method: '书面检查' }],
	inspectors: [1, 2, 3].map((i) => ({ name: `检查员1${i}`, unit: '市场监管局' })) };

test('office-inspect.html: a plan refused at its JSON, then registered and listed', async () => {
	const page = await openIn(admin, '/office-inspect.html');
	await page.waitForSelector('#plans p, #plans table');
	ok(await page.locator('nav a[href="office-inspect.html"][aria-current="page"]').count() === 1,
		'the office tabs do not mark 双随机抽查');
	await page.fill('#p-json', '{"name": ');
	await page.click('#p-submit');
	ok((await page.textContent('#p-json-error')).includes('不是有效的 JSON'), 'broken JSON is not refused');
	await page.fill('#p-json', '{"name": "x"}');
	await page.click('#p-submit');
	await page.waitForFunction(() => document.getElementById('p-json-error').textContent.includes('检查单位'));
	await page.fill('#p-json', JSON.stringify(PLAN, null, 1));
	await page.click('#p-submit');
	await page.waitForSelector('#plan-result [role="status"]');
	const plan = json('inspect', 'plan', 'list').plans.find((p) => p.name === PLAN.name);
	ok(plan, 'the plan is not stored');
	ok(await page.locator('#plans-table tr', { hasText: PLAN.name }).count() === 1, 'the plan is not listed');
	ok(await page.inputValue('#d-plan') === String(plan.id), 'the new plan is not chosen for the draw');
	got.plan = plan;
	noProblems(page, [/status of 422 /]);
	await page.close();
});

test('a draw of D subjects typed without their grade: refused at the fields, then every one drawn', async () => {
	ok(got.plan && got.d, 'no plan or D subjects from the tests before');
	const page = await openIn(admin, '/office-inspect.html');
	await page.waitForSelector('#plans-table');
	await page.selectOption('#d-plan', String(got.plan.id));
	await page.click('#d-submit');
	ok((await page.textContent('#d-random-error')).includes('请填写公开随机数'), 'no random value is not refused');
	ok((await page.textContent('#d-subjects-error')).includes('请填写抽查对象'), 'no subjects are not refused');
	await page.fill('#d-random', '2019-11-15 福彩3D 123');
	await page.fill('#d-subjects', `${got.d[0].subject.code},甲`);
	await page.click('#d-submit');
	ok((await page.textContent('#d-subjects-error')).includes('第 1 行的等级'), 'a bad grade is not refused at its line');
	const codes = got.d.slice(0, 3).map((x) => x.subject.code);
	await page.fill('#d-subjects', codes.join('\n'));
	await page.click('#d-submit');
	await page.waitForSelector('#draw-done');
	const draw = json('inspect', 'draws').draws.find((d) => d.plan === got.plan.id);
	ok(draw, 'no draw of the plan');
	ok((await page.textContent('#draw-done')).includes(`第 ${draw.id} 次抽取`), 'the draw is not named');
	const shown = json('inspect', 'show', String(draw.id));
	const drawn = shown.targets.filter((t) => t.grade === 'D');
	ok(drawn.length === 3, `the D subjects (graded D by the run, 100 %) are not all drawn: ${JSON.stringify(shown.targets)}`);
	await Promise.all([page.waitForURL(/inspections\.html\?draw=/), page.click('#draw-link')]);
	noProblems(page);
	await page.close();
});

test('office-inspect.html: the auditor\'s forms disabled', async () => {
	const { ctx: audit, page: p1 } = await signedIn('e2e-audit', '/office-inspect.html');
	await p1.waitForSelector('#plans-table');
	ok(await p1.locator('#p-submit').isDisabled() && await p1.locator('#d-submit').isDisabled(),
		'the auditor may submit');
	await audit.close();
});

look('office-inspect.html: axe-core, 375 px, Tab', async () => {
	await accessible('/office-inspect.html', '#plans-table', 'office-inspect-375.png');
	const page = await openIn(admin, '/office-inspect.html');
	await page.waitForSelector('#plans-table');
	const seen = [];
	for (let i = 0; i < 60 && !seen.includes('d-submit'); i++) {
		await page.keyboard.press('Tab');
		seen.push(await page.evaluate(() => document.activeElement.id));
	}
	for (const want of ['p-json', 'p-submit', 'd-plan', 'd-random', 'd-subjects', 'd-submit'])
		ok(seen.includes(want), `Tab does not reach ${want}: ${seen.join(' ')}`);
	await page.close();
});

test('社会公开: the admin turns public grades on and off on grades.html; the auditor only sees it', async () => {
	ok(json('grade', 'publish', 'show').public === false, 'grades are public before the test');
	const page = await openIn(admin, '/grades.html');
	await page.waitForSelector('#pub-switch');
	ok((await page.textContent('#pub-state')).includes('未向社会公开'), 'the page does not say grades are not public');
	await page.click('#pub-switch');
	await page.waitForFunction(() => /已向社会公开/.test(document.getElementById('pub-state').textContent));
	const on = json('grade', 'publish', 'show');
	ok(on.public === true && on.changed_by === 'user:e2e-admin', `the CLI does not see it on, by e2e-admin: ${JSON.stringify(on)}`);
	ok((await page.textContent('#pub-state')).includes('e2e-admin'), 'the page does not name who changed it');
	const entry = json('audit', 'show', '--action', 'grade.publish', '--desc', '--limit', '1').entries[0];
	ok(entry && entry.who.includes('e2e-admin') && entry.detail === 'on', `no audit entry of e2e-admin's: ${JSON.stringify(entry)}`);
	const { ctx: audit, page: p1 } = await signedIn('e2e-audit', '/grades.html');
	await p1.waitForSelector('#pub-state');
	ok((await p1.textContent('#pub-state')).includes('已向社会公开'), 'the auditor does not see the setting');
	ok(await p1.locator('#pub-switch').count() === 0, 'the auditor has the switch');
	await audit.close();
	await page.click('#pub-switch');
	await page.waitForFunction(() => /未向社会公开/.test(document.getElementById('pub-state').textContent));
	ok(json('grade', 'publish', 'show').public === false, 'the CLI does not see it off again');
	noProblems(page);
	await page.close();
});

run(() => { admin.close(); try { xy('grade', 'publish', 'off'); } catch { /* reported by the test */ } });
