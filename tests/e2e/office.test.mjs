// The office's pages (信用办) in a real browser (tests/e2e/run.sh: BASE, users
// e2e-admin, e2e-audit, e2e-unit; harness.mjs): the dashboard, the
// department table exported as XLSX whose totals are formulas and as PDF, a bulletin
// PDF naming its issue, reconciliation with the wrong cells marked, the
// city index entry, the administration forms' field errors, a unit added and renamed, a memorandum loaded and replaced, a
// list entry added and exited, axe-core and the
// 375 px check on every office page.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, BASE, axe, context, login, noProblems, ok, open, overflow, run, shot, test, look }
	from './harness.mjs';

const ROOT = process.env.ROOT;
const PAGES = ['/office.html?month=2019-10', '/office-reports.html', '/office-admin.html'];
const ctx = await context(); // e2e-admin's browser
const MONTH = '2019-10'; // the demo's data are of 2019 (server clock XINYONG_TODAY=2019-11-15)

/** The 合计 row of an XLSX's first sheet (python3's zipfile): how many of its
 * cells are SUM formulas, and its 总计 (last cell) cached value. */
function totalRow(file) {
	const py = `import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
ss = re.findall(r'<si>.*?</si>', z.read('xl/sharedStrings.xml').decode(), re.S)
i = next(k for k, s in enumerate(ss) if re.sub(r'<[^>]+>', '', s) == '合计')
x = z.read('xl/worksheets/sheet1.xml').decode()
for m in re.finditer(r'<row[^>]*>(.*?)</row>', x, re.S):
    if re.search(r'<c r="B\\d+"[^>]*t="s"[^>]*><v>%d</v>' % i, m.group(1)):
        v = re.findall(r'<v>([^<]*)</v>', m.group(1))
        print(len(re.findall(r'<f>SUM\\(', m.group(1))), v[-1])
        break
else:
    print(0, -1)`;
	const [n, total] = execFileSync('python3', ['-c', py, file]).toString().trim().split(' ');
	return { formulas: Number(n), total: Number(total) };
}

test('the office logs in and lands on the dashboard: chart, silent units, ranking, audit', async () => {
	const page = await open(ctx, '/office.html');
	ok(/\/login\.html\?next=%2Foffice\.html$/.test(page.url()), `not sent to the login: ${page.url()}`);
	await login(page, 'e2e-admin', '/office.html');
	ok(page.url() === `${BASE}/office.html`, `not on office.html: ${page.url()}`);
	await page.waitForSelector('#dash-status:has-text("报送情况")');
	ok((await page.inputValue('#month')) === '2019-11', `the month is not the server's: ${await page.inputValue('#month')}`);
	await page.goto(`${BASE}/office.html?month=${MONTH}`, { waitUntil: 'networkidle' });
	await page.waitForSelector('#chart-svg rect.bar');
	const api = await page.evaluate(async (m) =>
		(await fetch(`/api/v1/quality?by=unit&from=${m}&to=${m}`)).json(), MONTH);
	const withRecords = api.units.filter((u) => u.records > 0);
	ok(await page.locator('#chart-svg rect.bar').count() === Math.min(20, withRecords.length), 'a bar per unit with records');
	const bar = await page.getAttribute('#chart-svg rect.bar', 'data-unit');
	ok(bar === '市场监管局', `the first bar is not 市场监管局: ${bar}`);
	ok(await page.locator('#silent-list li').count() === api.silent.length, 'not every silent unit listed');
	ok((await page.textContent('#count-silent strong')).trim() === String(api.silent.length), 'silent count');
	ok(await page.locator('#rank tbody tr').count() === withRecords.length, 'a ranking row per unit with records');
	ok((await page.textContent('#rank tbody tr td[data-label="单位"]')).trim() === '市场监管局', 'ranking');
	ok(await page.locator('#audit tbody tr').count() >= 1, 'no audit events');
	// newest first from the head: the first row is the head of the chain, each next one older
	const head = await page.evaluate(async () => (await (await fetch('/api/v1/audit/verify')).json()).head_seq);
	const seqs = (await page.locator('#audit tbody td[data-label="序号"]').allTextContents()).map((t) => Number(t.trim()));
	ok(seqs[0] === head && seqs.every((q, i) => i === 0 || q === seqs[i - 1] - 1),
		`the audit events are not the newest first from the head ${head}: ${seqs.join(',')}`);
	ok(seqs.length === Math.min(10, head), `not the 10 newest audit events: ${seqs.length}`);
	ok((await page.textContent('#audit-chain')).includes('校验通过'), 'the audit chain status');
	ok((await page.textContent('#who-user')).trim() === 'e2e-admin', 'the staff header');
	noProblems(page, [/401/]);
	await shot(page, 'office-dashboard-1366.png');
	await page.close();
});

test('statistics: the department table, its XLSX download has formula totals, its PDF the same 总计', async () => {
	const page = await open(ctx, '/office-reports.html');
	await page.click('#s-submit'); // empty months: field errors
	ok((await page.textContent('#s-from-error')).includes('请选择起始月份'), 'no field error for the months');
	await page.fill('#s-from', '2019-01');
	await page.fill('#s-to', MONTH);
	await page.fill('#s-to', MONTH);
	await page.fill('#s-from', '2019-12');
	await page.click('#s-submit');
	ok((await page.textContent('#s-to-error')).includes('不能早于'), 'a reversed range is not refused');
	await page.fill('#s-from', '2019-01');
	await page.click('#s-submit');
	await page.waitForSelector('#stats-table tbody tr');
	const total = page.locator('#stats-table tbody tr').first();
	ok((await total.locator('td[data-label="部门名称"]').textContent()).trim() === '合计', 'no 合计 row first');
	const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#dl-department-xlsx')]);
	const file = path.join(ARTIFACTS, 'office-stats-department.xlsx');
	await dl.saveAs(file);
	ok(fs.readFileSync(file).subarray(0, 2).toString() === 'PK', 'the download is not a zip (XLSX)');
	const t = totalRow(file);
	const cols = await page.locator('#stats-table thead th').count(); // 序号, 部门名称, categories, 总计
	ok(t.formulas === cols - 2, `the 合计 row has ${t.formulas} SUM formulas, not ${cols - 2}`);
	const shown = (await total.locator('td[data-label="总计"]').textContent()).trim();
	ok(String(t.total) === shown, `the XLSX 合计/总计 ${t.total} is not the page's ${shown}`);
	const [pdl] = await Promise.all([page.waitForEvent('download'), page.click('#dl-department-pdf')]);
	const pdf = path.join(ARTIFACTS, 'office-stats-department.pdf');
	await pdl.saveAs(pdf);
	ok(fs.readFileSync(pdf).subarray(0, 5).toString() === '%PDF-', 'the PDF download is not a PDF');
	const ptext = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
	ok(ptext.includes('市有关部门信源单位数据上报情况'), 'the PDF has not the table\'s title');
	const ptotal = ptext.split('\n').find((l) => /^\s*合计\s/.test(l))?.trim().split(/\s+/).pop();
	ok(ptotal === shown, `the PDF 合计/总计 ${ptotal} is not the page's ${shown}`);
	noProblems(page);
	await page.close();
});

test('reconciliation: the hand-made table with its wrong cells marked', async () => {
	const page = await open(ctx, '/office-reports.html');
	await page.click('#r-submit');
	ok((await page.textContent('#r-file-error')).includes('请选择'), 'no field error without a file');
	await page.setInputFiles('#r-file', path.join(ROOT, 'tests/data/reference/bulletin-2019-10-departments.tsv'));
	await page.click('#r-submit');
	await page.waitForSelector('#rec-marked td.bad');
	const marked = await page.locator('#rec-marked td.bad').count();
	const listed = await page.locator('#rec-diffs tbody tr').count();
	ok(marked >= 1 && marked <= listed, `marked ${marked}, listed ${listed}`);
	const cell = await page.textContent('#rec-marked td.bad');
	ok(cell.includes('应为'), `a marked cell does not say what it should be: ${cell}`);
	noProblems(page);
	await page.close();
});

test('bulletin: compile a PDF, download it, it names its issue', async () => {
	const page = await open(ctx, '/office-reports.html');
	await page.click('#b-submit');
	ok((await page.textContent('#b-issue-error')).includes('请填写期号'), 'no field error for the issue');
	await page.fill('#b-issue', '9');
	await page.fill('#b-date', '2019-11-10');
	await page.fill('#b-from', '2019-10');
	await page.fill('#b-to', '2019-10');
	await page.selectOption('#a-section-1', '工作推进');
	await page.fill('#a-text-1', '# 示例工作推进\n\n本月完成双公示数据归集（示例文字）。');
	await page.click('#b-submit');
	await page.waitForSelector('#bul-download', { timeout: 60000 });
	const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#bul-download')]);
	const file = path.join(ARTIFACTS, 'office-bulletin-9.pdf');
	await dl.saveAs(file);
	ok(fs.readFileSync(file).subarray(0, 5).toString() === '%PDF-', 'not a PDF');
	const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
	ok(/第\s*9\s*期/.test(text), `the PDF does not name issue 9: ${text.slice(0, 200)}`);
	ok(text.includes('示例工作推进'), 'the article is not in the PDF');
	noProblems(page);
	await page.close();
});

test('city index: a month entered shows in the table and the chart reloads', async () => {
	const page = await open(ctx, '/office-reports.html');
	await page.fill('#i-month', '2019-12');
	await page.fill('#i-score', '120');
	await page.fill('#i-rank', '0');
	await page.click('#i-submit');
	ok((await page.textContent('#i-score-error')).includes('0 到 100'), 'a score over 100 is not refused');
	await page.fill('#i-score', '84.5');
	await page.click('#i-submit');
	ok((await page.textContent('#i-rank-error')).includes('正整数'), 'rank 0 is not refused');
	await page.fill('#i-rank', '37');
	await page.click('#i-submit');
	await page.waitForSelector('#idx-result:has-text("已保存")');
	await page.waitForSelector('#idx-table td:has-text("2019-12")');
	const w = await page.locator('#idx-chart').evaluate((img) => img.complete && img.naturalWidth);
	ok(w > 0, 'the index chart did not load');
	noProblems(page);
	await page.close();
});

test('administration: a user with field errors in Chinese, a token shown once, a mapping', async () => {
	const page = await open(ctx, '/office-admin.html');
	await page.waitForSelector('#users table');
	await page.selectOption('#u-role', 'unit');
	await page.fill('#u-name', 'e2e-new');
	await page.fill('#u-password', 'a-long-password-42');
	await page.click('#user-form button[type="submit"]');
	ok((await page.textContent('#u-unit-error')).includes('所属单位'), 'no field error for the unit');
	await page.fill('#u-unit', '无此单位（示例）');
	await page.click('#user-form button[type="submit"]');
	await page.waitForFunction(() => document.getElementById('u-unit-error').textContent
		|| document.getElementById('user-error').textContent);
	const err = (await page.textContent('#u-unit-error')) || (await page.textContent('#user-error'));
	ok(/[\u4e00-\u9fff]/.test(err), `the API's error is not in Chinese: ${err}`);
	await page.fill('#u-unit', '市场监管局');
	await page.click('#user-form button[type="submit"]');
	await page.waitForSelector('#users td:has-text("e2e-new")');
	await page.fill('#t-label', 'e2e 测试令牌');
	await page.selectOption('#t-role', 'auditor');
	await page.click('#token-form button[type="submit"]');
	await page.waitForSelector('#token-secret');
	const secret = (await page.textContent('#token-secret')).trim();
	ok(/^xyt_\d+_/.test(secret), `not a token: ${secret}`);
	const r = await fetch(`${BASE}/api/v1/audit?limit=1`, { headers: { Authorization: `Bearer ${secret}` } });
	ok(r.status === 200, `the new auditor token does not read the audit log: ${r.status}`);
	await page.reload({ waitUntil: 'networkidle' });
	ok(!(await page.content()).includes(secret), 'the secret is shown again after a reload');
	await page.fill('#m-unit', '市场监管局');
	await page.selectOption('#m-category', '行政处罚');
	await page.fill('#m-column', '处罚事由（示例）');
	await page.fill('#m-field', 'CF_SY');
	await page.click('#map-form button[type="submit"]');
	await page.waitForSelector('#maps td:has-text("处罚事由（示例）")');
	noProblems(page, [/40[09]|422/]);
	await page.close();
});

test('units: a unit added (field errors first), then renamed; the old name stays a former name', async () => {
	const page = await open(ctx, '/office-admin.html');
	await page.waitForSelector('#users table');
	await page.click('#un-submit');
	ok((await page.textContent('#un-name-error')).includes('请填写单位名称'), 'no field error for an empty name');
	await page.fill('#un-name', '浏览器测试新区');
	await page.selectOption('#un-kind', '区县');
	await page.click('#un-submit');
	ok((await page.textContent('#un-division-error')).includes('行政区划代码'), 'a county without its code is not refused');
	await page.selectOption('#un-kind', '园区');
	await page.fill('#un-name', '发改委');
	await page.fill('#un-division', '');
	await page.click('#un-submit');
	await page.waitForFunction(() => document.getElementById('un-name-error').textContent);
	ok((await page.textContent('#un-name-error')).includes('信源单位已存在'), 'a unit that exists is not refused at the name');
	await page.fill('#un-name', '浏览器测试新区');
	await page.click('#un-submit');
	await page.waitForSelector('#unit-result:has-text("已新增信源单位 浏览器测试新区")');
	await page.click('#h-units ~ details summary');
	await page.waitForSelector('#units td:has-text("浏览器测试新区")');
	await page.fill('#ur-unit', '浏览器测试新区');
	await page.fill('#ur-name', '浏览器测试高新区');
	await page.click('#ur-submit');
	await page.waitForSelector('#unit-result:has-text("更名为 浏览器测试高新区")');
	const row = page.locator('#units tr', { has: page.locator('td[data-label="单位"]', { hasText: '浏览器测试高新区' }) });
	ok((await row.locator('td[data-label="曾用名"]').textContent()).trim() === '浏览器测试新区', 'the former name is not shown');
	ok((await row.locator('td[data-label="类别"]').textContent()).trim() === '园区', 'the kind is not 园区');
	await page.fill('#ur-unit', '无此单位（示例）');
	await page.fill('#ur-name', '随便');
	await page.click('#ur-submit');
	await page.waitForFunction(() => document.getElementById('ur-unit-error').textContent);
	ok((await page.textContent('#ur-unit-error')).includes('未知信源单位'), 'an unknown unit is not refused at its field');
	const api = await page.evaluate(async () => (await (await fetch('/api/v1/units')).json()).units
		.find((u) => u.name === '浏览器测试高新区'));
	ok(api && api.kind === 'park' && api.former_names[0] === '浏览器测试新区', `the API's unit: ${JSON.stringify(api)}`);
	noProblems(page, [/40[49]|422/]);
	await page.close();
});

test('memoranda: a file loaded, the same doc refused in Chinese, then replaced', async () => {
	const page = await open(ctx, '/office-admin.html');
	await page.waitForSelector('#users table');
	await page.click('#memo-form button[type="submit"]');
	ok((await page.textContent('#mm-file-error')).includes('请选择'), 'no field error without a file');
	const memo = (measure) => ({ name: 'memo-e2e.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(
		'# a generated test memorandum (e2e)\ndoc\t营发改信用〔2019〕99号\ntitle\t《示例测试备忘录》\ndate\t2019\n'
		+ 'signatories\t发改委|财政局\nlist_types\t拖欠农民工工资失信联合惩戒对象名单\n'
		+ `number\ttext\tkind\tunits\ttarget\tmatters\tbasis\n1\t${measure}\t惩戒\t财政局\t单位\t政府采购\t营发改信用〔2019〕99号\n`) });
	await page.setInputFiles('#mm-file', memo('限制参加政府采购活动'));
	await page.click('#memo-form button[type="submit"]');
	await page.waitForSelector('#memo-result:has-text("已载入")');
	ok((await page.textContent('#memo-result')).includes('营发改信用〔2019〕99号'), 'the loaded doc is not named');
	await page.setInputFiles('#mm-file', memo('依法限制参加政府采购活动'));
	await page.click('#memo-form button[type="submit"]');
	await page.waitForFunction(() => document.getElementById('memo-error').textContent !== '');
	ok(/[\u4e00-\u9fff]/.test(await page.textContent('#memo-error')), 'the refusal is not in Chinese');
	await page.check('#mm-replace');
	await page.click('#memo-form button[type="submit"]');
	await page.waitForSelector('#memo-result:has-text("已替换")');
	noProblems(page, [/422/]);
	await page.close();
});

test('list entries: a missing 文书号 refused at its field, an entry added and exited', async () => {
	const r = await fetch(`${BASE}/api/v1/penalties?kind=legal&limit=1`);
	const subject = (await r.json()).items[0].subject.code;
	const page = await open(ctx, '/office-admin.html');
	await page.waitForSelector('#entries table');
	await page.fill('#e-type', '地方发布黑名单（示例）');
	await page.fill('#e-subject', subject);
	await page.fill('#e-unit', '市场监管局');
	await page.fill('#e-from', '2019-11-01');
	await page.click('#entry-form button[type="submit"]');
	ok((await page.textContent('#e-doc-error')).includes('请填写认定文书号'), 'no field error for the doc');
	await page.fill('#e-doc', '营市场监管黑〔2019〕99号');
	await page.click('#entry-form button[type="submit"]');
	await page.waitForFunction(() => document.getElementById('e-type-error').textContent
		|| document.getElementById('entry-error').textContent);
	const err = (await page.textContent('#e-type-error')) || (await page.textContent('#entry-error'));
	ok(/[\u4e00-\u9fff]/.test(err), `an unknown list type is not refused in Chinese: ${err}`);
	const types = await (await fetch(`${BASE}/api/v1/lists`)).json();
	const black = types.list_types.find((t) => t.kind === 'black');
	await page.fill('#e-type', black.name);
	await page.fill('#e-unit', black.unit); // 谁认定谁负责: the type's own unit
	await page.click('#entry-form button[type="submit"]');
	await page.waitForSelector('#entry-result:has-text("已列入")');
	const id = (await page.textContent('#entry-result')).match(/条目 (\d+)/)[1];
	// the page reloads the table, then shows its result (office-common.js doneAfter); the
	// wait stays as a margin
	const row = page.locator(`#entries td[data-label="编号"]:text-is("${id}")`);
	await row.waitFor({ timeout: 10000 }).catch(() => {});
	ok(await row.count() === 1, 'the new entry is not listed');
	await page.fill('#x-entry', id);
	await page.selectOption('#x-how', '修复');
	await page.fill('#x-date', '2019-11-20');
	await page.click('#exit-form button[type="submit"]');
	await page.waitForSelector('#exit-result:has-text("已移出")');
	noProblems(page, [/422|404/]);
	await page.close();
});

test('the auditor reads the office pages with the forms disabled; a unit operator is refused', async () => {
	const c = await context();
	const page = await open(c);
	await login(page, 'e2e-audit', '/office-admin.html');
	await page.waitForSelector('#users table');
	ok(await page.locator('#user-form button[type="submit"]').isDisabled(), 'the auditor may submit a user');
	const u = await context();
	const p2 = await open(u);
	await login(p2, 'e2e-unit', '/office.html');
	await p2.waitForSelector('h1');
	ok((await p2.textContent('h1')).includes('无权访问'), 'a unit operator sees the office page');
	await c.close();
	await u.close();
});

look('office pages: axe-core 0 serious/critical, nothing wider than 375 px, keyboard reaches the forms', async () => {
	const bad = [];
	for (const url of PAGES) {
		const page = await open(ctx, url);
		await page.waitForLoadState('networkidle');
		bad.push(...await axe(page));
		await page.setViewportSize({ width: 375, height: 740 });
		const over = await overflow(page);
		if (over.length) bad.push(`${url} at 375 px: ${over.join('; ')}`);
		if (url.startsWith('/office.html')) await shot(page, 'office-dashboard-375.png');
		await page.close();
	}
	const page = await open(ctx, '/office-reports.html');
	const seen = [];
	for (let i = 0; i < 40 && !seen.includes('s-submit'); i++) {
		await page.keyboard.press('Tab');
		seen.push(await page.evaluate(() => document.activeElement.id || document.activeElement.tagName));
	}
	if (!seen.includes('s-from') || !seen.includes('s-submit')) bad.push(`Tab went: ${seen.join(' ')}`);
	await page.close();
	ok(!bad.length, bad.join('\n'));
});

await run();
