// 双公示: GET /api/v1/licensing | penalties with the filters (unit, subject
// kind, decision dates) and keyset paging.  The filters live in the URL.
import { api, arg, el, factsList, fieldError, fill, pageError, pager, showApiError,
	subjectLink, table } from './common.js';

const form = document.getElementById('filters');
const F = { category: 'f-category', unit: 'f-unit', kind: 'f-kind', from: 'f-from', to: 'f-to' };
for (const [k, id] of Object.entries(F))
	document.getElementById(id).value = arg(k) || (k === 'category' ? '行政许可' : '');
const units = new Set();

// the columns each category's list shows, besides subject, date and unit
const KIND = {
	行政许可: { path: 'licensing', type: (d) => d.XK_XKLB || '' },
	行政处罚: { path: 'penalties', type: (d) => d.CF_CFLB || '' },
};

function values() {
	const v = {};
	for (const [k, id] of Object.entries(F)) v[k] = document.getElementById(id).value.trim();
	return v;
}

function check(v) {
	for (const id of ['f-unit', 'f-from', 'f-to']) fieldError(id, '');
	if (v.from && v.to && v.from > v.to) {
		fieldError('f-to', '结束日期不能早于开始日期');
		return false;
	}
	return true;
}

let current = values();
const p = pager('feed-pager', async (after) => {
	const k = KIND[current.category] || KIND['行政许可'];
	document.getElementById('h-page').textContent = `双公示 · ${current.category}`;
	document.getElementById('h-items').textContent = `${current.category}公示信息`;
	pageError('feed-error', '');
	try {
		const v = await api(k.path, { unit: current.unit, kind: current.kind, from: current.from,
			to: current.to, after, limit: 20 });
		for (const it of v.items) units.add(it.unit);
		fill('f-unit-list', [...units].sort().map((u) => el('option', { value: u })));
		document.getElementById('feed-status').textContent = v.items.length ? '' : '没有符合条件的公示信息';
		fill('items', v.items.length ? table(null, [
			{ label: '行政相对人', cell: (it) => subjectLink(it.subject) },
			{ label: '决定文书号', cell: (it) => it.key },
			{ label: current.category === '行政处罚' ? '处罚类别' : '许可类别', cell: (it) => k.type(it.data) },
			{ label: '决定日期', cell: (it) => it.decided_on },
			{ label: '公示单位', cell: (it) => it.unit },
			{ label: '公示状态', cell: (it) => it.display },
			{ label: '详细信息', cell: (it) => Object.keys(it.data || {}).length
				? el('details', {}, el('summary', {}, '查看'), factsList(it.data)) : '异议处理中，暂不展示' },
		], v.items) : []);
		return v.next;
	} catch (e) {
		fill('items');
		if (e.status === 404 && current.unit) fieldError('f-unit', `没有名为“${current.unit}”的公示单位`);
		else showApiError(e, 'feed-error', { from: 'f-from', to: 'f-to', unit: 'f-unit' });
		return null;
	}
});

form.addEventListener('submit', (ev) => {
	ev.preventDefault();
	const v = values();
	if (!check(v)) return;
	current = v;
	const q = new URLSearchParams(Object.entries(v).filter(([, x]) => x));
	history.replaceState(null, '', `?${q}`);
	p.reset();
});
if (check(current)) p.reset();
