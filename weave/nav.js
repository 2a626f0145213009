// nav.js: the left and right arrow keys follow the page's rel="prev" and rel="next" links
// (the links themselves work without scripts), unless the reader is typing or scrolling code;
// and on a narrow screen, following a link in the opened sidebar closes it again.
document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    var target = event.target;
    if (target.closest && target.closest('input, textarea, select, [contenteditable], pre')) return;
    var link = document.querySelector(event.key === 'ArrowLeft' ? 'link[rel="prev"]' : 'link[rel="next"]');
    if (link) window.location.href = link.href;
});

document.addEventListener('click', function (event) {
    var toggle = document.getElementById('menu-toggle');
    if (toggle && event.target.closest && event.target.closest('.sidebar a')) toggle.checked = false;
});
