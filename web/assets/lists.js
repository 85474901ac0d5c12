// 红黑名单: the list types with their entries active on a date
// (GET /api/v1/lists), and one type's entries with keyset paging
// (GET /api/v1/lists/{type}).
import { api, arg, el, fieldError, fill, pageError, pager, seg, showApiError, subjectLink,
	table } from './common.js';

const type = arg('type');
const date = arg('date');
document.getElementById('f-date').value = date;

function typeItem(t) {
	const q = new URLSearchParams({ type: t.name });
	if (date) q.set('date', date);
	return el('li', {}, el('a', { href: `lists.html?${q}`, 'aria-current': t.name === type ? 'true' : null }, t.name),
		el('span', { class: `tag ${t.kind}` }, `${t.active} 个主体`),
		el('div', { class: 'meta' }, [t.unit ? `认定单位：${t.unit}` : '认定单位：各报送单位', t.basis ? ` · 依据：${t.basis}` : '']));
}

async function types() {
	try {
		const v = await api('lists', { date });
		const red = v.list_types.filter((t) => t.kind === 'red');
		const black = v.list_types.filter((t) => t.kind === 'black');
		fill('red-types', red.length ? red.map(typeItem) : el('li', {}, '无'));
		fill('black-types', black.length ? black.map(typeItem) : el('li', {}, '无'));
	} catch (e) {
		showApiError(e, 'lists-error', { date: 'f-date' });
	}
}

async function entries(after) {
	pageError('entries-error', '');
	try {
		const v = await api(`lists/${seg(type)}`, { date, after, limit: 20 });
		fill('entries', v.entries.length ? table(`${type}（截至 ${v.as_of}）`, [
			{ label: '主体名称', cell: (e) => subjectLink({ code: e.subject, name: e.name }) },
			{ label: '代码', cell: (e) => e.subject },
			{ label: '认定单位', cell: (e) => e.unit },
			{ label: '认定文号', cell: (e) => e.doc },
			{ label: '列入日期', cell: (e) => e.from },
			{ label: '有效期至', cell: (e) => e.to || '长期' },
		], v.entries) : el('p', {}, `截至 ${v.as_of}，该名单没有有效的主体。`));
		return v.next;
	} catch (e) {
		fill('entries');
		pageError('entries-error', e.status === 404 ? '没有这个名单' : e.message);
		return null;
	}
}

document.getElementById('asof-form').addEventListener('submit', (ev) => {
	const d = document.getElementById('f-date').value;
	if (d && !/^\d{4}-\d{2}-\d{2}$/.test(d)) {
		ev.preventDefault();
		fieldError('f-date', '请输入有效日期（年-月-日）');
	}
	if (type) {
		const h = el('input', { type: 'hidden', name: 'type', value: type });
		ev.target.append(h);
	}
});

types();
if (type) {
	document.getElementById('entries-panel').hidden = false;
	document.getElementById('h-entries').textContent = type;
	pager('entries-pager', entries).reset();
}
