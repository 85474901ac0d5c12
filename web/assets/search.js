// 信用查询: results of GET /api/v1/subjects?q= with keyset paging; an
// identifier that finds one subject opens its page at once.
import { api, arg, checkQuery, fieldError, fill, isIdentifier, pageError, pager,
	showApiError, subjectHref, subjectLink, table } from './common.js';
import { searchForm } from './searchform.js';

const q = arg('q').trim();
searchForm(q);
const status = document.getElementById('search-status');

async function page(after) {
	pageError('search-error', '');
	try {
		const v = await api('subjects', { q, after, limit: 20 });
		if (!after && isIdentifier(q) && v.items.length === 1) {
			location.replace(subjectHref(v.items[0].code.includes('*') ? q : v.items[0].code));
			return null;
		}
		status.textContent = v.items.length || after ? '' : `没有找到与“${q}”相关的主体`;
		fill('results', v.items.length ? table(null, [
			{ label: '名称', cell: (s) => subjectLink(s) },
			{ label: '主体类别', cell: (s) => s.kind_zh },
			{ label: '代码', cell: (s) => s.code },
			{ label: '所属地区', cell: (s) => s.district || s.division || '' },
		], v.items) : []);
		document.getElementById('search-pager').hidden = !(v.next || after);
		return v.next;
	} catch (e) {
		fill('results');
		showApiError(e, 'search-error', { q: 'q' });
		return null;
	}
}

if (q) {
	const why = checkQuery(q);
	if (why) fieldError('q', why);
	else pager('search-pager', page).reset();
} else {
	status.textContent = '请输入查询条件';
}
