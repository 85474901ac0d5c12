// 联合奖惩核查 (check.html): one subject, a pasted list or a file of codes →
// POST /api/v1/checks; the answer (有/无, the list entries, the measures);
// feedback on the measures (POST /api/v1/checks/{id}/feedback); the unit's
// logged checks, newest first.
import { ApiError, el, fieldError, fill, pageError, pager, table } from './common.js';
import { get, send } from './session.js';
import { unitPage } from './unitkit.js';

const MAX = 1000;
const FIELDS = { subject: 'subject', subjects: 'subjects', matter: 'matter', date: 'date' };
const FB_FIELDS = { reason: 'fb-reason', result: 'fb-result' };
let recent;
const s = await unitPage();
if (s) {
	document.getElementById('date').value = s.today;
	document.getElementById('check-form').addEventListener('submit', check);
	document.getElementById('feedback-form').addEventListener('submit', feedback);
	recent = pager('recent-pager', loadRecent);
	await recent.reset();
}

/** The codes of a file: the first cell of each line (a header line of words left out). */
async function codesOfFile(file) {
	const text = await file.text();
	return text.split(/\r?\n/).map((l) => l.split(/[,\t]/)[0].trim().replace(/^"|"$/g, ''))
		.filter((c) => c && !/^(代码|统一社会信用代码|code|subject)$/i.test(c));
}

async function check(ev) {
	ev.preventDefault();
	pageError('check-error', '');
	for (const f of ['subject', 'subjects', 'subjects-file', 'matter', 'date']) fieldError(f, '');
	const one = document.getElementById('subject').value.trim();
	let many = document.getElementById('subjects').value.split(/\r?\n/).map((x) => x.trim()).filter(Boolean);
	const file = document.getElementById('subjects-file').files[0];
	if (file) many = many.concat(await codesOfFile(file));
	if (!one && !many.length) return fieldError('subject', '请输入要核查的主体，或批量粘贴、选择代码文件');
	if (one && many.length) return fieldError('subject', '单个主体与批量只能选一种');
	if (many.length > MAX) return fieldError(file ? 'subjects-file' : 'subjects', `一次最多核查 ${MAX} 个，现有 ${many.length} 个`);
	const body = one ? { subject: one } : { subjects: many };
	const matter = document.getElementById('matter').value.trim();
	const date = document.getElementById('date').value;
	if (matter) body.matter = matter;
	if (date) body.date = date;
	const button = document.getElementById('check-submit');
	button.disabled = true;
	try {
		const v = await send('POST', '/api/v1/checks', body);
		document.getElementById('answer-panel').hidden = false;
		if (v.results) showMany(v);
		else showOne(v);
		await recent.reset();
	} catch (e) {
		const input = e instanceof ApiError && e.field && FIELDS[e.field];
		if (input) fieldError(one || input !== 'subject' ? input : 'subjects', e.message);
		else pageError('check-error', e instanceof ApiError ? e.message : '核查失败，请重试');
	} finally {
		button.disabled = false;
	}
}

const answerTag = (a) => el('strong', { class: `tag ${a === '有' ? 'warn' : 'ok'}`, id: 'answer-word' }, a === '有' ? '有（须采取措施）' : '无');

function measuresTable(measures) {
	return table('应采取的措施', [
		{ label: '序号', cell: (m) => String(m.number) },
		{ label: '措施', cell: (m) => m.text },
		{ label: '类型', cell: (m) => m.kind || '' },
		{ label: '依据', cell: (m) => m.memorandum },
		{ label: '名单', cell: (m) => m.list_type || '' },
	], measures);
}

/** One subject's answer; its measures get the feedback form. */
function showOne(v) {
	const entries = v.entries || [];
	fill('answer',
		el('p', { id: 'answer-line' }, `${v.subject_name || v.subject}（${v.subject}）：`, answerTag(v.answer),
			` 核查编号 ${v.check_id}，核查日期 ${v.date}${v.matter ? `，事项“${v.matter}”` : ''}`),
		v.found === false ? el('p', { class: 'status' }, '数据库中没有该主体的信用记录。') : null,
		entries.length ? table('所在名单', [
			{ label: '名单', cell: (e) => e.list_type },
			{ label: '文号', cell: (e) => e.doc || '' },
			{ label: '有效期', cell: (e) => `${e.from || ''} 至 ${e.to || '长期'}` },
			{ label: '认定单位', cell: (e) => e.unit || '' },
		], entries) : el('p', { class: 'status' }, '不在任何有效的红黑名单上。'),
		(v.measures || []).length ? measuresTable(v.measures) : null);
	feedbackFor(v);
}

/** A list's answers: each row with its check (反馈 opens that check's feedback). */
function showMany(v) {
	const sm = v.summary;
	fill('answer',
		el('p', { id: 'answer-line' }, `共 ${sm.rows} 个：已核查 ${sm.checked} 个，其中须采取措施 ${sm.with_measures} 个，未找到 ${sm.unknown} 个。`),
		table('批量核查结果', [
			{ label: '主体', cell: (r) => (r.subject_name ? `${r.subject_name}（${r.subject}）` : r.subject) },
			{ label: '结果', cell: (r) => (r.error ? r.error.message : answerTag(r.answer)) },
			{ label: '措施', cell: (r) => (r.measures ? String(r.measures.length) : '') },
			{ label: '反馈', cell: (r) => (r.measures && r.measures.length ? openFeedback(r.check_id) : '') },
		], v.results));
	document.getElementById('feedback-panel').hidden = true;
}

function openFeedback(id) {
	const b = el('button', { type: 'button', class: 'secondary' }, `反馈（核查 ${id}）`);
	b.addEventListener('click', async () => {
		try {
			feedbackFor(await get(`checks/${encodeURIComponent(id)}`));
			document.getElementById('h-feedback').scrollIntoView();
		} catch (e) {
			pageError('check-error', e.message);
		}
	});
	return b;
}

let current = null; // the check the feedback form is for

/** The feedback form of check v: for each measure 已采取 / 未采取 / not yet. */
function feedbackFor(v) {
	const panel = document.getElementById('feedback-panel');
	const measures = v.measures || [];
	current = v;
	pageError('feedback-error', '');
	fill('feedback-status', '');
	if (!measures.length) {
		panel.hidden = true;
		return;
	}
	panel.hidden = false;
	const given = new Map((v.feedback || []).map((f) => [f.number, f.status]));
	fill('h-feedback', `措施落实反馈（核查 ${v.check_id}）`);
	fill('feedback-measures', measures.map((m) => {
		const name = `m-${m.number}`;
		const radio = (value, text) => {
			const id = `${name}-${value}`;
			return el('span', { class: 'check-row' },
				el('input', { type: 'radio', name, id, value, checked: value === 'none' && !given.has(m.number) ? true : null, disabled: given.has(m.number) ? true : null }),
				el('label', { for: id }, text));
		};
		return el('fieldset', { 'data-number': m.number },
			el('legend', {}, `措施 ${m.number}：${m.text}`),
			given.has(m.number) ? el('p', { class: 'status' }, `已反馈：${given.get(m.number)}`)
				: [radio('applied', '已采取'), radio('not', '未采取'), radio('none', '暂不反馈')]);
	}));
}

async function feedback(ev) {
	ev.preventDefault();
	pageError('feedback-error', '');
	fieldError('fb-reason', '');
	fieldError('fb-result', '');
	const applied = [];
	const notApplied = [];
	for (const m of current.measures || []) {
		const v = document.querySelector(`input[name="m-${m.number}"]:checked`)?.value;
		if (v === 'applied') applied.push(m.number);
		if (v === 'not') notApplied.push(m.number);
	}
	if (!applied.length && !notApplied.length) return pageError('feedback-error', '请至少为一项措施选择“已采取”或“未采取”');
	const reason = document.getElementById('fb-reason').value.trim();
	if (notApplied.length && !reason) return fieldError('fb-reason', '未采取的措施须说明原因');
	const body = { applied, not_applied: notApplied };
	if (reason) body.reason = reason;
	const result = document.getElementById('fb-result').value.trim();
	if (result) body.result = result;
	try {
		const v = await send('POST', `/api/v1/checks/${encodeURIComponent(current.check_id)}/feedback`, body);
		feedbackFor(v);
		fill('feedback-status', `已提交：已采取 ${applied.length} 项，未采取 ${notApplied.length} 项。`);
		await recent.reset();
	} catch (e) {
		const input = e instanceof ApiError && e.field && FB_FIELDS[e.field];
		if (input) fieldError(input, e.message);
		else pageError('feedback-error', e instanceof ApiError ? e.message : '提交失败，请重试');
	}
}

async function loadRecent(after) {
	try {
		const v = await get('checks', { after, limit: 10 });
		fill('recent', v.checks.length ? table('', [
			{ label: '编号', cell: (c) => String(c.check_id) },
			{ label: '主体', cell: (c) => `${c.subject_name || ''}（${c.subject}）` },
			{ label: '结果', cell: (c) => c.answer || '' },
			{ label: '措施', cell: (c) => String(c.measures) },
			{ label: '已反馈', cell: (c) => String(c.feedback) },
			{ label: '日期', cell: (c) => c.date },
			{ label: '操作', cell: (c) => (c.measures > c.feedback ? openFeedback(c.check_id) : '') },
		], v.checks) : el('p', { class: 'status' }, '还没有核查记录。'));
		return v.next;
	} catch (e) {
		pageError('recent-error', e.message);
		return null;
	}
}
