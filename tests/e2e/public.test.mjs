// The public's forms in a real browser (tests/e2e/run.sh; harness.mjs):
// the 信用报告 downloaded from a subject's page and verified on verify.html
// (the file, a tampered copy, the number and code), a 异议 with an
// attachment on apply.html (refused at its fields first), its receipt and
// the status page (application.html), a wrong secret refused.  axe-core,
// 375 px and the keyboard on each new page.  One TAP line per test.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, BASE, axe, context, login, noProblems, ok, open as openIn, overflow, run, shot, test, look } from './harness.mjs';

const ctx = await context();
const open = (url, width = 1366) => openIn(ctx, url, width);
const TMP = fs.mkdtempSync(path.join(ARTIFACTS, 'public-'));
// chromium logs the answers the pages handle (404 未找到, 422 at a field) as failed resources
const HANDLED = [/status of 40[34] /, /status of 422 /];

// what the tests pass on to each other
const got = {};

// a legal person of the newest 行政处罚 (as portal.test.mjs): it has 公示中 records
async function someSubject() {
	const v = await (await fetch(`${BASE}/api/v1/penalties?kind=legal&limit=1`)).json();
	ok(v.items && v.items.length, `no 行政处罚 in the demo: ${JSON.stringify(v).slice(0, 200)}`);
	return v.items[0].subject;
}

test('search a 2-character name → the subject → its 信用报告 is a PDF naming the subject', async () => {
	const s = await someSubject();
	const two = [...s.name.replace(/（示例）$/, '')].slice(2, 4).join('');
	const page = await open('/');
	await page.fill('#q', two);
	await Promise.all([page.waitForURL(/search\.html/), page.click('#q-submit')]);
	await page.waitForSelector('#results table');
	const exact = page.locator('#results td a', { hasText: s.name });
	const link = (await exact.count()) ? exact.first() : page.locator('#results td a').first();
	await Promise.all([page.waitForURL(/subject\.html/), link.click()]);
	await page.waitForSelector('#h-name');
	s.name = (await page.textContent('#h-name')).trim();
	s.code = new URL(page.url()).searchParams.get('code');
	ok(await page.locator('a[href^="apply.html?"][href*="kind=objection"][href*="record="]').count() >= 1,
		'no 提出异议 link on a record');
	ok(await page.locator('main a[href="verify.html"]').count() === 1, 'no link to 报告核验');
	const [dl] = await Promise.all([page.waitForEvent('download'), page.click('a[href$="/report"]')]);
	const name = dl.suggestedFilename();
	const m = name.match(/XY[0-9]{14}/);
	ok(m, `the report's file name has no number: ${name}`);
	const file = path.join(TMP, name);
	await dl.saveAs(file);
	const bytes = fs.readFileSync(file);
	ok(bytes.subarray(0, 5).toString('latin1') === '%PDF-', 'the report is not a PDF');
	const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
	ok(text.includes(s.name), `pdftotext does not name ${s.name}`);
	const code = text.match(/验证码：\s*([A-Z2-7]{4}(?:-[A-Z2-7]{4}){3})/);
	ok(code, 'no 验证码 on the report');
	Object.assign(got, { subject: s, report: file, number: m[0], code: code[1], bytes });
	noProblems(page);
	await page.close();
});

test('verify.html: the downloaded PDF is 真实有效 with what was issued', async () => {
	ok(got.report, 'no report from the test before');
	const page = await open('/verify.html');
	await page.setInputFiles('#f-file', got.report);
	ok(await page.inputValue('#f-pdf-number') === got.number, 'the number was not taken from the file name');
	await page.click('#file-submit');
	await page.waitForSelector('#verdict');
	ok((await page.textContent('#verdict')).includes('真实有效'), `not 真实有效: ${await page.textContent('#verdict')}`);
	const issued = await page.textContent('#issued');
	for (const want of [got.number, got.subject.name, got.subject.code, '2019-11-15', '北京时间'])
		ok(issued.includes(want), `the issued report does not show ${want}: ${issued}`);
	noProblems(page);
	await shot(page, 'verify-1366.png');
	await page.close();
});

test('verify.html: a copy with flipped bytes is refused as 不一致', async () => {
	ok(got.bytes, 'no report from the test before');
	const copy = Buffer.from(got.bytes);
	for (let i = 0; i < 4; i++) copy[Math.floor(copy.length / 2) + i] ^= 0xff;
	const file = path.join(TMP, `tampered-${got.number}.pdf`);
	fs.writeFileSync(file, copy);
	const page = await open('/verify.html');
	await page.setInputFiles('#f-file', file);
	await page.click('#file-submit');
	await page.waitForSelector('#verdict');
	const v = await page.textContent('#verdict');
	ok(v.includes('不一致') && !v.includes('真实有效'), `a tampered copy was not refused: ${v}`);
	ok(!(await page.textContent('#issued')).includes(got.subject.name), 'a tampered copy shows the subject');
	noProblems(page);
	await page.close();
});

test('verify.html: by number and code 真实有效; a wrong code 未找到; a malformed one at the field', async () => {
	ok(got.code, 'no report from the test before');
	const page = await open(`/verify.html?number=${got.number}&code=${got.code}`);
	await page.waitForSelector('#verdict');
	ok((await page.textContent('#verdict')).includes('真实有效'), 'number and code from the address: not 真实有效');
	ok((await page.textContent('#issued')).includes(got.subject.name), 'the subject is not shown');
	await page.fill('#f-code', 'AAAA-BBBB-CCCC-DDDD');
	await page.click('#code-submit');
	await page.waitForFunction(() => document.querySelector('#verdict')?.textContent.includes('未找到'));
	ok(!(await page.textContent('#issued')).includes(got.subject.name), 'a wrong code shows the subject');
	await page.fill('#f-code', 'abc');
	await page.click('#code-submit');
	ok((await page.textContent('#f-code-error')).includes('16 位'), 'a malformed code is not refused at its field');
	ok(await page.getAttribute('#f-code', 'aria-invalid') === 'true', 'the code is not marked invalid');
	noProblems(page, HANDLED);
	await page.close();
});

test('a staff session in the same browser does not stand in the way of a public POST (no CSRF token needed)', async () => {
	ok(got.report, 'no report from the test before');
	const staff = await context();
	const page = await openIn(staff, '');
	await login(page, 'e2e-admin');
	await page.goto(`${BASE}/verify.html`, { waitUntil: 'networkidle' });
	await page.setInputFiles('#f-file', got.report);
	await page.click('#file-submit');
	await page.waitForSelector('#verdict');
	ok((await page.textContent('#verdict')).includes('真实有效'), `signed in: ${await page.textContent('#verdict')}`);
	noProblems(page, [/status of 401 /]); // the login page asks who is signed in first
	await staff.close();
});

test('apply.html: a 异议 refused at its fields (before sending and by the API), then filed with an attachment → receipt', async () => {
	ok(got.subject, 'no subject from the first test');
	const s = got.subject;
	const page = await open(`/subject.html?code=${encodeURIComponent(s.code)}`);
	const link = page.locator('a[href*="kind=objection"][href*="record="]').first();
	const record = new URL(await link.getAttribute('href'), BASE).searchParams.get('record');
	await Promise.all([page.waitForURL(/apply\.html/), link.click()]);
	await page.waitForSelector('select#f-record');
	ok(await page.inputValue('#f-subject') === s.code, 'the subject is not filled in');
	ok(await page.inputValue('#f-record') === record, `record ${record} is not chosen`);
	ok(await page.isChecked('#f-kind-objection'), 'the kind is not 异议');
	ok((await page.textContent('h1')).includes('异议申请'), 'heading');
	ok(await page.isHidden('#commitment-box'), 'an objection asks for a commitment');

	// a file that is not PDF/JPEG/PNG by its bytes, though named .pdf
	const fake = path.join(TMP, '说明.pdf');
	fs.writeFileSync(fake, 'not a pdf\n');
	await page.setInputFiles('#f-files', fake);
	await page.waitForFunction(() => document.querySelector('#f-files-error').textContent !== '');
	ok((await page.textContent('#f-files-error')).includes('不是 PDF、JPEG 或 PNG'), 'a fake PDF is not refused');
	const pdf = path.join(TMP, '更正证明.pdf');
	fs.writeFileSync(pdf, '%PDF-1.4\n% a test attachment\n%%EOF\n');
	await page.setInputFiles('#f-files', pdf);
	await page.waitForFunction(() => document.querySelector('#f-files-error').textContent === '');
	ok((await page.textContent('#f-files-list')).includes('更正证明.pdf（PDF'), 'the chosen file is not listed');

	// a missing reason: refused next to its field, nothing sent
	await page.fill('#f-applicant', '测试申请人');
	await page.fill('#f-contact', '13800000000');
	let sent = 0;
	page.on('request', (r) => { if (r.method() === 'POST') sent++; });
	await page.click('#apply-submit');
	ok((await page.textContent('#f-reason-error')).includes('请填写异议理由'), 'a missing reason is not shown at its field');
	ok(await page.getAttribute('#f-reason', 'aria-invalid') === 'true', 'the reason is not marked invalid');
	ok(await page.evaluate(() => document.activeElement.id) === 'f-reason', 'the focus is not on the reason');
	ok(sent === 0, 'the form was sent with a missing field');

	// a valid code that is not the record's subject: the API's error.field at the subject
	await page.fill('#f-reason', '处罚决定书所列金额有误，应为 2000 元。');
	const others = await (await fetch(`${BASE}/api/v1/subjects?q=${encodeURIComponent('营口')}&limit=5`)).json();
	await page.fill('#f-subject', others.items.find((x) => x.code !== s.code).code);
	// sent with Enter in the field (implicit submission): the subject's change event and the
	// submit come in one task, so the form goes with the record chosen.  A click blurred the
	// field first (mousedown): the change reloaded the record list for the other subject, and
	// when that answer came before the click (CI, under load) the record was no longer chosen,
	// the form stopped at 请选择 and nothing reached the API
	await page.press('#f-subject', 'Enter');
	await page.waitForFunction(() => document.querySelector('#f-subject-error').textContent !== '');
	ok((await page.textContent('#f-subject-error')).includes('不符'), `the API's refusal is not at the subject: ${await page.textContent('#f-subject-error')}`);
	ok(sent === 1, `${sent} POSTs`);

	// the record list follows the subject; the record chosen comes back with its subject
	await page.waitForFunction((r) => document.getElementById('f-record').value !== r, record);
	await page.fill('#f-subject', s.code);
	await page.locator('#f-subject').blur();
	await page.waitForFunction((r) => document.getElementById('f-record').value === r, record);
	await page.click('#apply-submit');
	await page.waitForSelector('#receipt-no');
	const receipt = (await page.textContent('#receipt-no')).trim();
	const secret = (await page.textContent('#receipt-secret')).trim();
	ok(/^YY[0-9]{14}$/.test(receipt), `receipt ${receipt}`);
	ok(/^[0-9A-Z]{24}$/.test(secret), `secret ${secret}`);
	ok(await page.isHidden('#apply-form'), 'the form is still shown after the receipt');
	ok((await page.textContent('#receipt-note')).includes('只在此显示一次'), 'no note to keep the secret');
	Object.assign(got, { receipt, secret, record });
	await shot(page, 'apply-receipt-1366.png');
	// the record is now 异议处理中 on the subject's page
	await Promise.all([page.waitForURL(/application\.html/), page.click('#receipt-status')]);
	await page.waitForSelector('#status-zh');
	ok(!page.url().includes('secret='), `the secret stays in the address: ${page.url()}`);
	const st = await page.textContent('#status-panel');
	for (const want of [receipt, '异议', '2019-11-15'])
		ok(st.includes(want), `the status does not show ${want}: ${st}`);
	ok((await page.textContent('#status-zh')).includes('异议'), 'no status in Chinese');
	ok(await page.locator('#status-panel tbody tr').count() >= 1, 'no history');
	await shot(page, 'application-1366.png');
	noProblems(page, HANDLED);
	await page.close();
});

test('application.html: a wrong secret is refused in Chinese, an empty one at its field', async () => {
	ok(got.receipt, 'no receipt from the test before');
	const page = await open('/application.html');
	const wrong = got.secret.startsWith('A') ? `B${got.secret.slice(1)}` : `A${got.secret.slice(1)}`;
	await page.fill('#f-receipt', got.receipt);
	await page.fill('#f-secret', wrong);
	await page.click('#query-submit');
	await page.waitForFunction(() => document.querySelector('#query-error').textContent !== '');
	ok((await page.textContent('#query-error')).includes('查询密码不正确'), 'a wrong secret is not refused');
	ok(await page.isHidden('#status-panel'), 'the status is shown with a wrong secret');
	await page.fill('#f-secret', '');
	await page.click('#query-submit');
	ok((await page.textContent('#f-secret-error')).includes('请填写查询密码'), 'an empty secret is not refused at its field');
	noProblems(page, HANDLED);
	await page.close();
});

test('apply.html: a 信用修复 offers only 失信 records and needs its commitment and evidence before sending', async () => {
	ok(got.subject, 'no subject from the first test');
	const page = await open(`/apply.html?kind=repair&code=${encodeURIComponent(got.subject.code)}`);
	await page.waitForSelector('select#f-record');
	const labels = await page.locator('#f-record option').allTextContents();
	ok(labels.length >= 2 && labels.slice(1).every((l) => !l.startsWith('行政许可')), `records offered: ${labels}`);
	ok(!labels.some((l) => l.includes(`编号 ${got.record}）`) || l.includes(`编号 ${got.record}，`)),
		'the record under objection is still offered');
	ok(await page.isVisible('#f-commitment'), 'no commitment field for a repair');
	await page.selectOption('#f-record', { index: 1 });
	await page.fill('#f-applicant', '测试申请人');
	await page.fill('#f-contact', 'someone@example.com');
	await page.fill('#f-reason', '已缴清罚款并完成整改。');
	let sent = 0;
	page.on('request', (r) => { if (r.method() === 'POST') sent++; });
	await page.click('#apply-submit');
	ok((await page.textContent('#f-commitment-error')).includes('请填写信用修复承诺'), 'no commitment asked for');
	ok((await page.textContent('#f-evidence-error')).includes('证明材料'), 'no evidence asked for');
	ok(await page.evaluate(() => document.activeElement.id) === 'f-commitment', 'the focus is not on the first fault');
	ok(sent === 0, 'the form was sent');
	await page.check('#f-kind-objection');
	ok(await page.isHidden('#commitment-box'), 'an objection still shows the commitment');
	noProblems(page);
	await page.close();
});

const NEW_PAGES = [['/apply.html', 'apply-submit'], ['/application.html', 'query-submit'],
	['/verify.html', 'code-submit']];

look('new pages: axe-core 0 serious/critical, nothing wider than 375 px, Tab reaches the submit button', async () => {
	ok(got.subject, 'no subject from the first test');
	const problems = [];
	for (const [url0, submit] of NEW_PAGES) {
		const url = url0 === '/apply.html' ? `${url0}?kind=repair&code=${encodeURIComponent(got.subject.code)}` : url0;
		for (const width of [1366, 375]) {
			const page = await open(url, width);
			await page.waitForLoadState('networkidle');
			problems.push(...await axe(page));
			if (width === 375) {
				problems.push(...(await overflow(page)).map((o) => `${url} at 375 px: ${o}`));
				await shot(page, `${url0.slice(1).replace('.html', '')}-375.png`);
			} else {
				let reached = false;
				for (let i = 0; i < 60 && !reached; i++) {
					await page.keyboard.press('Tab');
					reached = await page.evaluate(() => document.activeElement.id) === submit;
				}
				if (!reached) problems.push(`${url}: Tab does not reach #${submit}`);
			}
			noProblems(page);
			await page.close();
		}
	}
	ok(problems.length === 0, problems.join('\n'));
});

test('the home page and every footer link the forms', async () => {
	const page = await open('/');
	for (const href of ['apply.html?kind=repair', 'apply.html?kind=objection', 'application.html', 'verify.html'])
		ok(await page.locator(`main a[href="${href}"]`).count() === 1, `the home page has no link to ${href}`);
	for (const href of ['apply.html', 'application.html', 'verify.html'])
		ok(await page.locator(`footer a[href="${href}"]`).count() === 1, `the footer has no link to ${href}`);
	noProblems(page);
	await page.close();
});

await run(() => fs.rmSync(TMP, { recursive: true, force: true }));
