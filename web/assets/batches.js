// 报送记录 (batches.html): the unit's batches, newest first, 20 a page;
// ?id= one batch with its rejected rows and the error report.
import { ApiError, arg, el, fill, pageError, table } from './common.js';
import { get } from './session.js';
import { batchHref, batchStatus, monthOf, showBatch, unitPage } from './unitkit.js';

const PAGE = 20;
const s = await unitPage();
if (s) {
	if (arg('id')) await one(arg('id'));
	else await list();
}

async function one(id) {
	document.getElementById('list-panel').hidden = true;
	document.getElementById('batch-panel').hidden = false;
	try {
		const b = await get(`batches/${encodeURIComponent(id)}`);
		fill('h-batch', `批次 ${b.batch}：${b.category}`);
		document.title = `批次 ${b.batch} - 报送记录`;
		await showBatch(document.getElementById('batch'), b);
	} catch (e) {
		fill('h-batch', e instanceof ApiError && e.status === 404 ? '批次不存在' : '无法加载批次');
		pageError('page-error', e instanceof ApiError && e.status === 404
			? `批次 ${id} 不存在，或不属于本单位。` : e.message);
	}
}

// The API gives the newest batches (up to 1000) in one answer: the pages are cut here.
async function list() {
	let all;
	try {
		all = (await get('batches', { limit: 1000 })).batches;
	} catch (e) {
		fill('list-status', '');
		pageError('page-error', e.message);
		return;
	}
	fill('list-status', all.length ? `共 ${all.length} 个批次` : '本单位还没有上传过数据。');
	let at = 0;
	const prev = el('button', { type: 'button', class: 'secondary' }, '上一页');
	const next = el('button', { type: 'button', class: 'secondary' }, '下一页');
	const where = el('span', { class: 'status', 'aria-live': 'polite' });
	function show() {
		const rows = all.slice(at, at + PAGE);
		fill('list', table('', [
			{ label: '批次', cell: (b) => el('a', { href: batchHref(b.batch) }, String(b.batch)) },
			{ label: '信息类别', cell: (b) => b.category },
			{ label: '报送月份', cell: (b) => monthOf(b.reported_on) },
			{ label: '文件', cell: (b) => b.file },
			{ label: '状态', cell: (b) => batchStatus(b.status) },
			{ label: '数据行', cell: (b) => String(b.rows) },
			{ label: '拒收', cell: (b) => String(b.rejected) },
			{ label: '上传时间', cell: (b) => String(b.started_at || '').replace('T', ' ').replace('Z', ' UTC') },
		], rows));
		prev.disabled = at === 0;
		next.disabled = at + PAGE >= all.length;
		where.textContent = `第 ${Math.floor(at / PAGE) + 1} / ${Math.max(1, Math.ceil(all.length / PAGE))} 页`;
	}
	prev.addEventListener('click', () => { at = Math.max(0, at - PAGE); show(); });
	next.addEventListener('click', () => { at += PAGE; show(); });
	if (all.length > PAGE) fill('list-pager', prev, where, next);
	show();
}
