// The unit operator's pages in a real browser (tests/e2e/run.sh: BASE, users
// e2e-unit of 市场监管局 and e2e-unit2 of 市审批局; harness.mjs).
import { BASE, axe, context, login, noProblems, ok, open, overflow, run, test } from './harness.mjs';

const ctx = await context(); // e2e-unit's browser

test('a page of the unit, not signed in, goes to login.html?next= and back after the login', async () => {
	const page = await open(ctx, '/unit.html');
	ok(/\/login\.html\?next=%2Funit\.html$/.test(page.url()), `not sent to the login: ${page.url()}`);
	await page.fill('#name', 'e2e-unit');
	await page.fill('#password', 'wrong-password-0');
	await page.click('#login-submit');
	await page.waitForFunction(() => document.getElementById('password-error').textContent !== '');
	ok((await page.textContent('#password-error')).includes('用户名或密码错误'), 'no field error for a wrong password');
	ok(await page.getAttribute('#password', 'aria-invalid') === 'true', 'the password is not marked invalid');
	await page.fill('#name', '');
	await page.click('#login-submit');
	ok((await page.textContent('#name-error')).includes('请输入用户名'), 'no field error for an empty name');
	await login(page, 'e2e-unit', '/unit.html');
	ok(page.url() === `${BASE}/unit.html`, `not back on unit.html: ${page.url()}`);
	ok((await page.textContent('#who-unit')).trim() === '市场监管局', 'the header does not name the unit');
	ok((await page.textContent('#who-user')).trim() === 'e2e-unit', 'the header does not name the user');
	noProblems(page, [/401/]);
	await page.close();
});

test('another role sees 无权访问 on the unit pages', async () => {
	const c = await context();
	const page = await open(c);
	await login(page, 'e2e-audit', '/unit.html');
	await page.waitForSelector('h1');
	ok((await page.textContent('h1')).includes('无权访问'), 'the auditor was not refused');
	await c.close();
});

test('退出 ends the session: the unit page asks for the login again', async () => {
	const c = await context();
	const page = await open(c);
	await login(page, 'e2e-unit');
	ok(page.url() === `${BASE}/unit.html`, `a unit operator's home is unit.html, not ${page.url()}`);
	await Promise.all([page.waitForURL(/login\.html/), page.click('#logout')]);
	await page.goto(`${BASE}/unit.html`, { waitUntil: 'networkidle' });
	ok(/login\.html\?next=/.test(page.url()), `still signed in after 退出: ${page.url()}`);
	await c.close();
});

test('axe-core: no serious or critical violations; nothing wider than 375 px', async () => {
	const bad = [];
	const page = await open(ctx);
	for (const url of ['/login.html', '/unit.html']) {
		for (const width of [1366, 375]) {
			await page.setViewportSize({ width, height: 740 });
			await page.goto(BASE + url, { waitUntil: 'networkidle' });
			if (width === 1366) bad.push(...await axe(page));
			else bad.push(...(await overflow(page)).map((o) => `${url} at 375: ${o}`));
		}
	}
	ok(!bad.length, bad.join('\n'));
	await page.close();
});

await run();
