// The unit operator's pages in a real browser (tests/e2e/run.sh: BASE, users
// e2e-unit of 市场监管局 and e2e-unit2 of 市审批局; harness.mjs).
// The uploaded XLSX is made here from data/samples/市审批局-行政许可-2019-10.xlsx
// (saved by LibreOffice Calc 7.4; its rows 5 and 9 are deliberately bad: the
// letter I in a USCC, 许可类别 “特殊”) by tests/e2e/xlsx-replace.py: the "bad"
// copy also has the header 许可证书名称 renamed 证书名 (an unmapped column);
// the "fixed" copy has the two values corrected and the header back.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BASE, axe, context, login, noProblems, ok, open, overflow, run, shot, test, look } from './harness.mjs';

const ROOT = process.env.ROOT;
const SAMPLE = path.join(ROOT, 'data/samples/市审批局-行政许可-2019-10.xlsx');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xy-e2e-unit-'));
const BAD = path.join(tmp, '行政许可-有错误.xlsx');
const FIXED = path.join(tmp, '行政许可-已改正.xlsx');
const ctx = await context(); // e2e-unit's browser
const state = {}; // what one test leaves the next: batch ids, the check

/** The USCC code17 with its check character (GB 32100-2015). */
function uscc(code17) {
	const cs = '0123456789ABCDEFGHJKLMNPQRTUWXY';
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += cs.indexOf(code17[i]) * (3 ** i % 31);
	return code17 + cs[(31 - (sum % 31)) % 31];
}
const xlsx = (src, dst, ...pairs) => execFileSync('python3', [path.join(ROOT, 'tests/e2e/xlsx-replace.py'), src, dst, ...pairs]);
xlsx(SAMPLE, BAD, '许可证书名称', '证书名');
xlsx(SAMPLE, FIXED, '91210800MA0U1234I5', uscc('91210800MA0U12341'), '特殊', '普通');

/** page's session API answer for path (the page's cookies). */
async function apiAs(page, p) {
	const r = await page.request.get(BASE + p);
	return { status: r.status(), body: await r.json() };
}

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

test('upload an XLSX with bad rows: progress, the summary, the unmapped column, the rejected rows, the error report', async () => {
	const page = await open(ctx, '/unit.html'); // signed in by the first test
	await page.waitForSelector('#month table');
	const row = page.locator('#month tbody tr', { hasText: '行政许可' }).first();
	ok((await row.textContent()).includes('未报送'), '行政许可 is not 未报送 before the upload');
	await page.goto(`${BASE}/upload.html`, { waitUntil: 'networkidle' });
	await page.click('#upload-submit');
	ok((await page.textContent('#file-error')).includes('请选择要上传的文件'), 'no field error without a file');
	ok((await page.textContent('#category-error')).includes('请选择信息类别'), 'no field error without a category');
	await page.selectOption('#category', '行政许可');
	ok(await page.inputValue('#reported_on') === '2019-11', 'the month is not the server\'s this month');
	await page.setInputFiles('#file', BAD);
	await page.click('#upload-submit');
	await page.waitForSelector('#batch-errors table');
	ok(await page.evaluate(() => document.getElementById('upload-progress').value) === 100, 'the progress bar did not reach 100');
	const errs = await page.locator('#batch-errors tbody tr').allTextContents();
	ok(errs.length === 2, `rejected rows shown: ${errs.length}`);
	ok(errs[0].includes('5') && errs[0].includes('统一社会信用代码') && errs[0].includes('91210800MA0U1234I5') && errs[0].includes('“I”'), `row 5: ${errs[0]}`);
	ok(errs[1].includes('9') && errs[1].includes('许可类别') && errs[1].includes('特殊') && errs[1].includes('应为以下之一'), `row 9: ${errs[1]}`);
	const summary = await page.textContent('#batch-summary');
	ok(/拒收行\s*2/.test(summary) && /数据行\s*10/.test(summary), `summary: ${summary}`);
	const unmapped = await page.locator('#result table', { hasText: '证书名' }).textContent();
	ok(unmapped.includes('许可证书名称（XK_XKZS）'), `the unmapped column's suggestion: ${unmapped}`);
	state.bad = Number((await page.textContent('#h-result')).match(/批次 (\d+)/)[1]);
	await shot(page, 'unit-upload-1366.png');
	const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#error-report')]);
	const file = path.join(tmp, 'report.xlsx');
	await dl.saveAs(file);
	ok(/\.errors\.xlsx$/.test(dl.suggestedFilename()), `error report name: ${dl.suggestedFilename()}`);
	ok(fs.readFileSync(file).subarray(0, 2).toString() === 'PK', 'the error report is not an XLSX (zip)');
	await page.setViewportSize({ width: 375, height: 740 });
	const wide = await overflow(page);
	ok(!wide.length, `upload result at 375 px: ${wide.join('; ')}`);
	await shot(page, 'unit-upload-375.png');
	const bad = await axe(page);
	ok(!bad.length, bad.join('\n'));
	noProblems(page);
	await page.close();
});

test('fix the file and upload it again: no rejected rows; both batches in the history; 行政许可 已报送', async () => {
	const page = await open(ctx, '/upload.html');
	await page.selectOption('#category', '行政许可');
	await page.setInputFiles('#file', FIXED);
	await page.click('#upload-submit');
	await page.waitForSelector('#no-errors');
	const summary = await page.textContent('#batch-summary');
	ok(/拒收行\s*0/.test(summary) && /新增\s*2/.test(summary), `summary of the fixed file: ${summary}`);
	ok(await page.locator('#error-report').count() === 0, 'an error report link without errors');
	state.fixed = Number((await page.textContent('#h-result')).match(/批次 (\d+)/)[1]);
	await page.goto(`${BASE}/batches.html`, { waitUntil: 'networkidle' });
	const ids = await page.locator('#list tbody tr td:first-child').allTextContents();
	ok(ids[0].trim() === String(state.fixed) && ids[1].trim() === String(state.bad), `history: ${ids.slice(0, 3).join(' ')}`);
	await page.click(`#list a[href="batches.html?id=${state.bad}"]`);
	await page.waitForSelector('#batch-errors table');
	ok(await page.locator('#batch-errors tbody tr').count() === 2, 'the old batch\'s rejected rows');
	await page.goto(`${BASE}/unit.html`, { waitUntil: 'networkidle' });
	await page.waitForSelector('#month table');
	const row = page.locator('#month tbody tr', { hasText: '行政许可' }).first();
	ok((await row.textContent()).includes('已报送'), '行政许可 is not 已报送 after the upload');
	ok(await page.locator('#deadline table').count() === 1, 'no 双公示 timeliness table');
	noProblems(page);
	await page.close();
});

test('another unit\'s operator cannot see the batch: not in its list, 批次不存在 on its page', async () => {
	const c = await context();
	const page = await open(c);
	await login(page, 'e2e-unit2', '/batches.html');
	await page.waitForFunction(() => document.getElementById('list-status').textContent !== '正在加载…');
	ok(await page.locator(`#list a[href="batches.html?id=${state.bad}"]`).count() === 0, 'the batch is in the other unit\'s list');
	await page.goto(`${BASE}/batches.html?id=${state.bad}`, { waitUntil: 'networkidle' });
	ok((await page.textContent('#h-batch')).includes('批次不存在'), 'the other unit sees the batch');
	ok((await page.textContent('#page-error')).includes('不存在'), 'no error shown');
	const r = await apiAs(page, `/api/v1/batches/${state.bad}`);
	ok(r.status === 404, `the API answered ${r.status} to the other unit`);
	const e = await page.request.get(`${BASE}/api/v1/batches/${state.bad}/errors`);
	ok(e.status() === 404, `its error report answered ${e.status()}`);
	noProblems(page, [/404/, /401/]); // 401: login.html asks who is signed in
	await c.close();
});

test('run a check: the answer 有 with its measures; give feedback; a pasted list', async () => {
	// a subject on a black list with measures (the demo has none for this unit)
	execFileSync(process.env.XINYONG, ['list', 'add', '--type', '拖欠农民工工资失信联合惩戒对象名单',
		'--subject', '91210802MA0XYQA01T', '--name', '营口示例建筑有限公司（示例）', '--unit', '人社局',
		'--doc', '营人社欠薪〔2019〕9号', '--from', '2019-06-01'], { stdio: 'ignore' });
	const page = await open(ctx, '/check.html');
	await page.click('#check-submit');
	ok((await page.textContent('#subject-error')).includes('请输入'), 'no field error for an empty check');
	await page.fill('#subject', '91210802MA0XYQA01T');
	await page.click('#check-submit');
	await page.waitForSelector('#feedback-panel:not([hidden])');
	ok((await page.textContent('#answer-word')).startsWith('有'), 'the answer is not 有');
	ok((await page.textContent('#answer')).includes('拖欠农民工工资失信联合惩戒对象名单'), 'the list entry is not shown');
	const sets = page.locator('#feedback-measures fieldset');
	const n = await sets.count();
	ok(n >= 2, `measures with feedback choices: ${n}`);
	const m1 = await sets.nth(0).getAttribute('data-number');
	const m2 = await sets.nth(1).getAttribute('data-number');
	await page.check(`#m-${m1}-applied`);
	await page.check(`#m-${m2}-not`);
	await page.click('#feedback-submit');
	ok((await page.textContent('#fb-reason-error')).includes('原因'), 'no field error for 未采取 without a reason');
	await page.fill('#fb-reason', '本次办理事项不涉及该措施');
	await page.fill('#fb-result', '已限制其参与本次评审');
	await page.click('#feedback-submit');
	await page.waitForFunction(() => document.getElementById('feedback-status').textContent.includes('已提交'));
	const id = Number((await page.textContent('#h-feedback')).match(/核查 (\d+)/)[1]);
	const r = await apiAs(page, `/api/v1/checks/${id}`);
	const fb = r.body.feedback.map((f) => `${f.number}:${f.status}`).sort().join(' ');
	ok(fb === [`${m1}:已采取`, `${m2}:未采取`].sort().join(' '), `feedback stored: ${fb}`);
	ok((await sets.nth(0).textContent()).includes('已反馈：已采取'), 'the given feedback is not shown');
	await page.fill('#subject', '');
	await page.fill('#subjects', '91210802MA0XYQA01T\n91210800MA0U123456');
	await page.click('#check-submit');
	await page.waitForFunction(() => document.getElementById('answer-line').textContent.includes('共 2 个'));
	ok((await page.textContent('#answer-line')).includes('未找到 1 个'), 'the unknown code is not counted');
	// the answer is shown, then the recent checks reload (check.js): wait for them, which
	// came after the check on the slower PostgreSQL read (label pge2e)
	await page.waitForFunction(() => document.querySelectorAll('#recent tbody tr').length >= 2, null,
		{ timeout: 10000 }).catch(() => {});
	ok(await page.locator('#recent tbody tr').count() >= 2, 'the logged checks are not listed');
	const bad = await axe(page);
	ok(!bad.length, bad.join('\n'));
	noProblems(page);
	await page.close();
});

test('notices of watched subjects: unread ones marked, 标为已读 one (keyboard), then 全部标为已读', async () => {
	// two black-list entries of a subject 市场监管局 watches (made with the CLI, as the office would)
	const xy = (...args) => execFileSync(process.env.XINYONG, args, { stdio: ['ignore', 'pipe', 'pipe'] });
	const co = uscc('91210802MA0XYE2E0');
	xy('list', 'add', '--type', '重点关注名单', '--subject', co, '--name', '营口浏览器测试通知有限公司',
		'--unit', '发改委', '--doc', '营发改关注〔2019〕e2e号', '--from', '2019-11-01');
	xy('watch', 'add', '--unit', '市场监管局', co);
	xy('list', 'add', '--type', '拖欠农民工工资失信联合惩戒对象名单', '--subject', co, '--unit', '人社局',
		'--doc', '营人社欠薪〔2019〕e2e号', '--from', '2019-11-02', '--reason', '拖欠农民工工资');
	xy('list', 'add', '--type', '失信被执行人名单', '--subject', co, '--unit', '中级法院',
		'--doc', '（2019）辽08执e2e号', '--from', '2019-11-03');
	const page = await open(ctx, '/unit.html');
	await page.waitForSelector('#notices button[data-notice]');
	ok((await page.textContent('#notices-unread')).includes('未读通知 2 条'), 'the unread count is not 2');
	ok(await page.locator('#notices td[data-label="状态"] strong.tag').count() === 2, 'not both marked 未读');
	const bad = await axe(page);
	ok(!bad.length, bad.join('\n'));
	// the newest (失信被执行人名单) first: its button by the keyboard
	const first = page.locator('#notices tbody tr').first();
	ok((await first.textContent()).includes('失信被执行人名单'), 'the newest notice is not first');
	await first.locator('button[data-notice]').focus();
	await page.keyboard.press('Enter');
	await page.waitForSelector('#notices-unread:has-text("未读通知 1 条")');
	ok((await first.locator('td[data-label="状态"]').textContent()).trim() === '已读', 'the notice is not shown 已读');
	ok(await page.evaluate(() => document.activeElement.id) === 'notices-unread', 'focus is lost after 标为已读');
	let api = await apiAs(page, '/api/v1/notices');
	ok(api.body.unread === 1 && api.body.notices[0].read_at, `the API does not say it is read: ${JSON.stringify(api.body.notices[0])}`);
	await page.click('#notices-read-all');
	await page.waitForSelector('#notices-unread:has-text("通知均已读")');
	ok(await page.locator('#notices button[data-notice]').count() === 0, 'a 标为已读 button is left');
	ok(await page.locator('#notices-read-all').count() === 0, 'the 全部标为已读 button is left');
	api = await apiAs(page, '/api/v1/notices');
	ok(api.body.unread === 0, `the API still has ${api.body.unread} unread`);
	// another unit's operator cannot mark 市场监管局's notice
	const other = await context();
	const p2 = await open(other, '/login.html');
	await login(p2, 'e2e-unit2', '/unit.html');
	const r = await p2.evaluate(async (id) => {
		const csrf = sessionStorage.getItem('xy_csrf') || '';
		return (await fetch(`/api/v1/notices/${id}/read`, { method: 'POST', headers: { 'X-CSRF-Token': csrf } })).status;
	}, api.body.notices[0].id);
	ok(r === 404, `another unit marking the notice: ${r}, not 404`);
	await other.close();
	noProblems(page);
	await page.close();
});

look('axe-core: no serious or critical violations; nothing wider than 375 px (every unit page)', async () => {
	const bad = [];
	const page = await open(ctx);
	for (const url of ['/login.html', '/unit.html', '/upload.html', '/batches.html', `/batches.html?id=${state.bad}`, '/check.html']) {
		for (const width of [1366, 375]) {
			await page.setViewportSize({ width, height: 740 });
			await page.goto(BASE + url, { waitUntil: 'networkidle' });
			if (width === 1366) bad.push(...await axe(page));
			else bad.push(...(await overflow(page)).map((o) => `${url} at 375: ${o}`));
		}
	}
	ok(!bad.length, bad.join('\n'));
	noProblems(page);
	await page.close();
});

test('keyboard: Tab reaches the upload form\'s fields and its button', async () => {
	const page = await open(ctx, '/upload.html');
	const seen = [];
	for (let i = 0; i < 30 && !seen.includes('upload-submit'); i++) {
		await page.keyboard.press('Tab');
		seen.push(await page.evaluate(() => document.activeElement.id || document.activeElement.tagName));
	}
	for (const id of ['category', 'reported_on', 'file', 'strict', 'upload-submit'])
		ok(seen.includes(id), `Tab did not reach #${id}: ${seen.join(' ')}`);
	await page.close();
});

await run(() => fs.rmSync(tmp, { recursive: true, force: true }));
