// nav.js: the left and right arrow keys follow the page's rel="prev" and rel="next" links
// (the links themselves work without scripts), unless the reader is typing or scrolling code.
document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    var target = event.target;
    if (target.closest && target.closest('input, textarea, select, [contenteditable], pre')) return;
    var link = document.querySelector(event.key === 'ArrowLeft' ? 'link[rel="prev"]' : 'link[rel="next"]');
    if (link) window.location.href = link.href;
});
