// 单位工作台 (unit.html): the unit operator's home — this month's reporting
// per category (a category without a batch is 未报送), the 双公示 deadline
// (7 working days from the decision: the year's records in time and late,
// GET /api/v1/quality for its own unit), the open repair and objection cases
// routed to the unit with their deadlines, notices of watched subjects.
import { el, fill, pageError, table } from './common.js';
import { get, send } from './session.js';
import { batchHref, categories, monthOf, unitPage } from './unitkit.js';

// before the top-level await: cases() reads it while the module is still suspended there
const KIND = { repair: '信用修复', objection: '异议' };
const s = await unitPage();
if (s) {
	fill('h-page', `${s.unit} 工作台`);
	await Promise.all([month(s), deadline(s), cases(), notices()]);
}

async function month(s) {
	const m = monthOf(s.today);
	let cats;
	let batches;
	try {
		[cats, batches] = await Promise.all([categories(), get('batches', { limit: 1000 }).then((v) => v.batches)]);
	} catch (e) {
		fill('month-status', '');
		pageError('page-error', e.message);
		return;
	}
	const by = new Map();
	for (const b of batches)
		if (monthOf(b.reported_on) === m && b.status === 'committed') {
			if (!by.has(b.category)) by.set(b.category, []);
			by.get(b.category).push(b);
		}
	const reported = cats.filter((c) => by.has(c.name)).length;
	fill('month-status', `${m.replace('-', ' 年 ')} 月：已报送 ${reported} 类，未报送 ${cats.length - reported} 类。`);
	// reported first, then the others in the registry's order
	const rows = [...cats].sort((a, b) => (by.has(b.name) ? 1 : 0) - (by.has(a.name) ? 1 : 0));
	fill('month', table(`${m} 各类别报送情况`, [
		{ label: '信息类别', cell: (c) => c.name },
		{ label: '状态', cell: (c) => (by.has(c.name)
			? el('span', { class: 'tag ok' }, '已报送') : el('span', { class: 'tag warn' }, '未报送')) },
		{ label: '批次', cell: (c) => (by.get(c.name) || []).map((b) => el('a', { href: batchHref(b.batch) }, `${b.batch} `)) },
		{ label: '数据行（拒收）', cell: (c) => (by.has(c.name)
			? by.get(c.name).map((b) => `${b.rows}（${b.rejected}）`).join('，') : '') },
		{ label: '操作', cell: (c) => (by.has(c.name) ? '' : el('a', { href: `upload.html?category=${encodeURIComponent(c.name)}` }, `上传${c.name}`)) },
	], rows));
}

async function deadline(s) {
	const to = monthOf(s.today);
	const from = `${to.slice(0, 4)}-01`;
	let q;
	try {
		q = await get('quality', { from, to });
	} catch (e) {
		pageError('deadline-error', e.message);
		return;
	}
	const rows = (q.rows || []).filter((r) => r.publicity);
	if (!rows.length) {
		fill('deadline', el('p', { class: 'status' }, `${from} 至 ${to} 没有报送“双公示”记录。`));
		return;
	}
	fill('deadline', table(`${from} 至 ${to}（时限 ${q.days} 个工作日）`, [
		{ label: '类别', cell: (r) => r.category },
		{ label: '记录', cell: (r) => String(r.records) },
		{ label: '按时', cell: (r) => String(r.lag.within_7) },
		{ label: '逾期', cell: (r) => {
			const late = r.lag.dated - r.lag.within_7;
			return late ? el('strong', { class: 'tag warn' }, `${late} 条`) : '0';
		} },
		{ label: '按时率', cell: (r) => (r.lag.dated ? `${(r.lag.share_within_7 * 100).toFixed(1)}%` : '—') },
		{ label: '平均（工作日）', cell: (r) => (r.lag.mean === null || r.lag.mean === undefined ? '—' : String(r.lag.mean)) },
		{ label: '最长（工作日）', cell: (r) => (r.lag.max === null || r.lag.max === undefined ? '—' : String(r.lag.max)) },
	], rows));
}

async function cases() {
	let all = [];
	try {
		for (const kind of ['repair', 'objection']) {
			const v = await get('cases', { kind, status: 'open' });
			all = all.concat((v.repairs || v.objections || []).map((c) => ({ ...c, kind })));
		}
	} catch (e) {
		pageError('cases-error', e.message);
		return;
	}
	all.sort((a, b) => String(a.due || '').localeCompare(String(b.due || '')));
	fill('cases', all.length ? table('', [
		{ label: '类型', cell: (c) => KIND[c.kind] },
		{ label: '编号', cell: (c) => String(c.id) },
		{ label: '主体', cell: (c) => `${c.subject_name}（${c.subject}）` },
		{ label: '记录', cell: (c) => `${c.category} ${c.record_key}` },
		{ label: '申请日期', cell: (c) => c.filed_on },
		{ label: '当前环节', cell: (c) => c.step },
		{ label: '办理期限', cell: (c) => (c.overdue
			? el('strong', { class: 'tag warn' }, `${c.due || ''} 已逾期`) : String(c.due || '')) },
	], all) : el('p', { class: 'status', id: 'no-cases' }, '没有待办的案件。'));
}

/** The notices as the API gives them (unread first marked 未读, each with 标为已读). */
function showNotices(v) {
	const list = v.notices || [];
	document.getElementById('notices-unread').textContent =
		v.unread ? `未读通知 ${v.unread} 条` : (list.length ? '通知均已读。' : '');
	fill('notices-actions', v.unread
		? el('button', { type: 'button', id: 'notices-read-all' }, '全部标为已读') : null);
	fill('notices', list.length ? table('', [
		{ label: '状态', cell: (n) => (n.read_at ? '已读' : el('strong', { class: 'tag warn' }, '未读')) },
		{ label: '主体', cell: (n) => `${n.name || ''}（${n.subject}）` },
		{ label: '名单', cell: (n) => n.list_type || '' },
		{ label: '列入日期', cell: (n) => n.from || '' },
		{ label: '文号', cell: (n) => n.doc || '' },
		{ label: '操作', cell: (n) => (n.read_at ? '' : el('button', { type: 'button', 'data-notice': n.id,
			'aria-label': `将“${n.name || n.subject}”的通知标为已读` }, '标为已读')) },
	], list) : el('p', { class: 'status' }, '关注的主体没有新列入黑名单的通知。'));
}

/** POST one notice (id) or all (null) read; the answer is the list again. */
async function markRead(id) {
	pageError('notices-error', '');
	try {
		showNotices(await send('POST', id ? `/api/v1/notices/${encodeURIComponent(id)}/read`
			: '/api/v1/notices/read-all'));
		document.getElementById('notices-unread').focus(); // the button pressed is gone
	} catch (e) {
		pageError('notices-error', e.message);
	}
}

async function notices() {
	const box = document.getElementById('h-notices').parentElement;
	box.addEventListener('click', (ev) => {
		const b = ev.target.closest('button');
		if (b && b.id === 'notices-read-all') markRead(null);
		else if (b && b.dataset.notice) markRead(b.dataset.notice);
	});
	try {
		showNotices(await get('notices'));
	} catch (e) {
		pageError('notices-error', e.message);
	}
}
