// 双随机、一公开 in a real browser (tests/e2e/run.sh; harness.mjs): a plan, a
// draw and a result made with the CLI on the test's database (XINYONG_DB of
// run.sh), then inspections.html lists the draw, shows its targets (a 身份证号
// masked), a result and the published inputs, and 核验 answers 核验通过.
// axe-core, 375 px and the keyboard.  One TAP line per test.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, axe, context, noProblems, ok, open as openIn, overflow, run, shot, test, look } from './harness.mjs';

const ctx = await context();
const open = (url, width = 1366) => openIn(ctx, url, width);
const TMP = fs.mkdtempSync(path.join(ARTIFACTS, 'inspect-'));
const xy = (...args) => execFileSync(process.env.XINYONG, args, { encoding: 'utf8' });

// generated codes: a person (D: drawn at the default 100 %) and two others
const PERSON = '210802199001011234';
const MASKED = '210802********1234';
const PLAN_NAME = '浏览器测试抽查（示例）';
const RANDOM = '2019-11-15 福彩3D 417';
const got = {};

test('the CLI makes a plan, a draw and a result on the test database', async () => {
	fs.writeFileSync(path.join(TMP, 'plan.json'), JSON.stringify({
		name: PLAN_NAME, unit: '市场监管局',
		items: [{ item: '营业执照公示信息', basis: '《企业信息公示暂行条例》', method: '书面检查' }],
		team_size: 2,
		inspectors: [1, 2, 3].map((i) => ({ name: `检查员0${i}`, unit: '市场监管局' })),
	}));
	fs.writeFileSync(path.join(TMP, 'subjects.tsv'),
		`主体代码\t等级\n${PERSON}\tD\nS0002\tA\nS0003\tB\n`);
	xy('inspect', 'plan', 'add', path.join(TMP, 'plan.json'));
	const plans = JSON.parse(xy('inspect', 'plan', 'list', '--format', 'json')).plans;
	const plan = plans.find((p) => p.name === PLAN_NAME);
	ok(plan, `the plan is not listed: ${JSON.stringify(plans)}`);
	xy('inspect', 'draw', String(plan.id), '--subjects', path.join(TMP, 'subjects.tsv'), '--random', RANDOM);
	const draws = JSON.parse(xy('inspect', 'draws', '--format', 'json')).draws.filter((d) => d.plan === plan.id);
	ok(draws.length === 1, `no draw of plan ${plan.id}`);
	xy('inspect', 'result', String(draws[0].id), PERSON, '责令整改');
	got.draw = draws[0];
});

test('inspections.html lists the draw with its unit, random value and digest', async () => {
	ok(got.draw, 'no draw from the test before');
	const page = await open('/inspections.html');
	await page.waitForSelector('#insp table');
	const row = page.locator('#insp tr', { hasText: PLAN_NAME });
	ok(await row.count() === 1, 'the draw is not listed');
	const text = await row.textContent();
	for (const want of ['市场监管局', RANDOM, got.draw.draw_sha256, got.draw.drawn_at])
		ok(text.includes(want), `the row does not show ${want}: ${text}`);
	ok(await page.locator('nav.site-nav a[href="inspections.html"][aria-current="page"]').count() === 1,
		'the navigation does not mark the page');
	await Promise.all([page.waitForURL(/inspections\.html\?draw=/), row.locator('a').click()]);
	await page.waitForSelector('#targets');
	ok(new URL(page.url()).searchParams.get('draw') === String(got.draw.id), 'the link is not to the draw');
	noProblems(page);
	await page.close();
});

test('one draw: targets (the 身份证号 masked), team sizes, the result, the inputs; 核验 → 核验通过', async () => {
	ok(got.draw, 'no draw from the test before');
	const page = await open(`/inspections.html?draw=${got.draw.id}`);
	await page.waitForSelector('#targets');
	const html = await page.content();
	ok(!html.includes(PERSON), 'the full 身份证号 is on the page');
	const person = page.locator('#targets tr', { hasText: MASKED });
	ok(await person.count() === 1, `the person is not a target as ${MASKED}`);
	const ptext = await person.textContent();
	for (const want of ['责令整改', '随机', 'D', '2 人'])
		ok(ptext.includes(want), `the person's row does not show ${want}: ${ptext}`);
	ok(!html.includes('检查员0'), 'an inspector is named');
	const inputs = await page.textContent('#inputs');
	for (const want of [got.draw.plan_sha256, got.draw.population_sha256, RANDOM, got.draw.draw_sha256])
		ok(inputs.includes(want), `the inputs do not show ${want}`);
	await page.click('#verify');
	await page.waitForFunction(() => /核验/.test(document.getElementById('verdict').textContent)
		&& !/正在核验/.test(document.getElementById('verdict').textContent));
	const verdict = await page.textContent('#verdict');
	ok(verdict.includes('核验通过'), `not 核验通过: ${verdict}`);
	noProblems(page);
	await shot(page, 'inspections-1366.png');
	await page.close();
});

test('an unknown draw says so', async () => {
	const page = await open('/inspections.html?draw=999999');
	await page.waitForFunction(() => document.getElementById('insp-error').textContent !== '');
	ok((await page.textContent('#insp-error')).includes('没有这次抽取'), 'no 没有这次抽取');
	noProblems(page, [/status of 404 /]);
	await page.close();
});

look('axe-core 0 serious/critical, nothing wider than 375 px, Tab reaches 核验', async () => {
	ok(got.draw, 'no draw from the test before');
	for (const url of ['/inspections.html', `/inspections.html?draw=${got.draw.id}`]) {
		for (const width of [1366, 375]) {
			const page = await open(url, width);
			await page.waitForSelector('#insp table');
			const v = await axe(page);
			ok(v.length === 0, v.join('\n'));
			if (width === 375) {
				const wide = await overflow(page);
				ok(wide.length === 0, `${url} at 375 px: ${wide.join('; ')}`);
				if (url.includes('draw=')) await shot(page, 'inspections-375.png');
			}
			await page.close();
		}
	}
	const page = await open(`/inspections.html?draw=${got.draw.id}`);
	await page.waitForSelector('#verify');
	let reached = false;
	for (let i = 0; i < 60 && !reached; i++) {
		await page.keyboard.press('Tab');
		reached = await page.evaluate(() => document.activeElement && document.activeElement.id === 'verify');
	}
	ok(reached, 'Tab does not reach 核验');
	await page.keyboard.press('Enter');
	await page.waitForFunction(() => /核验通过/.test(document.getElementById('verdict').textContent));
	noProblems(page);
	await page.close();
});

run();
