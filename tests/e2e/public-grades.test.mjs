// 信用等级 on the public subject page (issue 12, docs/grading.md "Public grades"):
// subject.html shows the grade only when the office publishes grades (`xinyong grade
// publish on`): off, no 信用等级 section; on, the section with the letter, the date and the
// model's SHA-256 that `grade show` gives; axe-core, 375 px.  The setting is turned off
// again at the end (the test database is shared with the other files).  One TAP line
// per test.
import { execFileSync } from 'node:child_process';
import { axe, context, noProblems, ok, open, overflow, run, shot, test, look } from './harness.mjs';

const xy = (...args) => execFileSync(process.env.XINYONG, args, { encoding: 'utf8' });
const json = (...args) => JSON.parse(xy(...args, '--format', 'json'));
const ctx = await context();
const got = {};

/** subject.html of the graded subject at width, once its profile is shown. */
async function subjectPage(width = 1366) {
	const page = await open(ctx, `/subject.html?code=${encodeURIComponent(got.code)}`, width);
	await page.waitForSelector('#h-name');
	return page;
}

test('a graded subject, grades not public (the default)', async () => {
	json('grade', 'run');
	const d = json('grade', 'list', '--grade', 'D').subjects.find((s) => /^9[0-9A-Z]{17}$/.test(s.subject.code));
	ok(d, 'no D subject with a USCC');
	got.code = d.subject.code;
	got.grade = json('grade', 'show', got.code);
	ok(json('grade', 'publish', 'show').public === false, 'grades are public before the test');
});

test('subject.html while off: no 信用等级', async () => {
	const page = await subjectPage();
	ok(await page.locator('#h-grade').count() === 0, 'a 信用等级 section while grades are not public');
	ok(!(await page.locator('main').innerText()).includes('信用等级'), '信用等级 in the page while off');
	noProblems(page);
	await page.close();
});

test('subject.html while on: 信用等级 with the letter, the date and the SHA-256 of grade show', async () => {
	ok(json('grade', 'publish', 'on').public === true, 'publish on did not take');
	const page = await subjectPage();
	await page.waitForSelector('#h-grade');
	const text = await page.locator('section[aria-labelledby="h-grade"]').innerText();
	for (const want of [got.grade.grade, got.grade.run.as_of, got.grade.run.sha256, '示例'])
		ok(text.includes(want), `"${want}" not in the 信用等级 section: ${text}`);
	ok(!text.includes(String(got.grade.score)), `the score ${got.grade.score} is shown: ${text}`);
	const v = await axe(page);
	ok(v.length === 0, v.join('\n'));
	noProblems(page);
	await page.close();
});

look('subject.html with the grade at 375 px: axe-core, nothing wider', async () => {
	const page = await subjectPage(375);
	await page.waitForSelector('#h-grade');
	const v = await axe(page);
	ok(v.length === 0, v.join('\n'));
	const wide = await overflow(page);
	ok(wide.length === 0, `at 375 px: ${wide.join('; ')}`);
	await shot(page, 'subject-grade-375.png');
	noProblems(page);
	await page.close();
});

test('off again: the page has no 信用等级 on the next load', async () => {
	ok(json('grade', 'publish', 'off').public === false, 'publish off did not take');
	const page = await subjectPage();
	ok(await page.locator('#h-grade').count() === 0, 'a 信用等级 section after publish off');
	await page.close();
});

await run(() => { try { xy('grade', 'publish', 'off'); } catch { /* reported by the test */ } });
