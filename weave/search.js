// search.js: the search box. The index (search-index.js, written at build time by
// search-index.lua) is loaded by a <script> tag the first time it is needed, so search works
// from file:// with no server. Results appear as the reader types; a page opened with
// ?search=WORDS shows the results for WORDS at once.
//
// An entry matches when it contains every word of the query. The best come first: the
// definition of an identifier named exactly (the later chapter's first, as the finished
// runtime uses it), then chunks, then headings whose title holds the words, then prose.
(function () {
    var MAX_RESULTS = 50;
    var KIND_SCORE = { definition: 350, chunk: 300, section: 200, text: 0 };
    var loading = false, pendingQuery = null, box, panel;

    function loadIndex(then) {
        if (window.BOOK_SEARCH) { then(); return; }
        pendingQuery = then;
        if (loading) return;
        loading = true;
        var script = document.createElement('script');
        script.src = 'search-index.js';
        script.onload = function () { if (pendingQuery) pendingQuery(); };
        script.onerror = function () { show('<p>The search index (search-index.js) did not load.</p>'); };
        document.head.appendChild(script);
    }

    function escapeHtml(s) {
        return s.replace(/[&<>"]/g, function (c) {
            return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c];
        });
    }

    function score(entry, query, words, pageIndex) {
        var kind = entry[2], title = entry[3].toLowerCase(), text = entry[5].toLowerCase();
        var all = title + ' ' + text;
        for (var i = 0; i < words.length; i++) if (all.indexOf(words[i]) < 0) return -1;
        if (kind === 'definition' && title === query) return 1000 + pageIndex;
        var inTitle = words.every(function (w) { return title.indexOf(w) >= 0; });
        var s = inTitle ? KIND_SCORE[kind] : 0;
        if (all.indexOf(query) >= 0) s += 50;
        if (wholeWord(query).test(all)) s += 30;     // epoll_ctl itself before EPOLL_CTL_MOD
        return s + Math.min(all.split(words[0]).length - 1, 20);
    }

    var wholeWords = {};
    function wholeWord(query) {
        if (!wholeWords[query])
            wholeWords[query] = new RegExp('(^|[^a-z0-9_])' + query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '($|[^a-z0-9_])');
        return wholeWords[query];
    }

    function snippet(text, words) {
        var lower = text.toLowerCase(), at = lower.indexOf(words[0]);
        var start = Math.max(0, at - 70), end = Math.min(text.length, Math.max(at, 0) + 150);
        if (start > 0) start = text.indexOf(' ', start) + 1;     // begin at a word
        var part = (start > 0 ? '… ' : '') + text.slice(start, end) + (end < text.length ? ' …' : '');
        var html = escapeHtml(part);
        words.forEach(function (w) {
            var safe = escapeHtml(w).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            html = html.replace(new RegExp(safe, 'gi'), function (m) { return '<mark>' + m + '</mark>'; });
        });
        return html;
    }

    function search(raw) {
        var query = raw.trim().toLowerCase().replace(/\s+/g, ' ');
        if (query === '') { panel.hidden = true; return; }
        var words = query.split(' '), index = window.BOOK_SEARCH, hits = [];
        index.entries.forEach(function (entry, order) {
            var s = score(entry, query, words, entry[0]);
            if (s >= 0) hits.push({ entry: entry, score: s, order: order });
        });
        hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
        if (hits.length === 0) { show('<p>Nothing in the book matches <b>' + escapeHtml(raw) + '</b>.</p>'); return; }
        var html = '<p class="where">' + hits.length + ' results for <b>' + escapeHtml(raw) + '</b></p><ol>';
        hits.slice(0, MAX_RESULTS).forEach(function (hit) {
            var e = hit.entry, page = index.pages[e[0]];
            var href = page[0] + (e[1] ? '#' + e[1] : '');
            var chapter = (page[1] ? page[1] + ' ' : '') + page[2];
            html += '<li><span class="kind">' + e[2] + '</span><a href="' + escapeHtml(href) + '">' +
                escapeHtml(e[3]) + '</a><div class="where">' + escapeHtml(chapter) +
                (e[4] && e[4] !== chapter && e[4] !== e[3] ? ' · ' + escapeHtml(e[4]) : '') + '</div>' +
                (e[5] ? '<p class="snippet">' + snippet(e[5], words) + '</p>' : '') + '</li>';
        });
        show(html + '</ol>');
    }

    function show(html) {
        panel.innerHTML = html;
        panel.hidden = false;
    }

    function run() {
        var value = box.value;
        loadIndex(function () { search(box.value === value ? value : box.value); });
    }

    document.addEventListener('DOMContentLoaded', function () {
        box = document.querySelector('.search input');
        panel = document.getElementById('search-results');
        if (!box || !panel) return;
        box.addEventListener('input', run);
        box.addEventListener('focus', function () { loadIndex(function () {}); });
        box.form.addEventListener('submit', function (event) {
            event.preventDefault();
            history.replaceState(null, '', '?search=' + encodeURIComponent(box.value));
            run();
        });
        document.addEventListener('keydown', function (event) {
            if (event.key === 'Escape') { panel.hidden = true; box.blur(); }
        });
        panel.addEventListener('click', function (event) {
            if (event.target.closest('a')) panel.hidden = true;
        });
        var asked = new URLSearchParams(window.location.search).get('search');
        if (asked) { box.value = asked; run(); }
    });
})();
