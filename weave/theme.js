// theme.js: light or dark. Without a choice the page follows prefers-color-scheme (book.css
// does that alone); the toggle button stores the reader's choice in localStorage, and every
// page applies a stored choice here, in <head>, before anything is drawn.
(function () {
    var root = document.documentElement;
    root.classList.add('js');   // site.css shows the search box and the toggle only with scripts
    var stored = null;
    try { stored = localStorage.getItem('theme'); } catch (e) { /* storage off: follow the system */ }
    if (stored === 'light' || stored === 'dark') root.setAttribute('data-theme', stored);

    function isDark() {
        var chosen = root.getAttribute('data-theme');
        return chosen ? chosen === 'dark' : window.matchMedia('(prefers-color-scheme: dark)').matches;
    }
    document.addEventListener('DOMContentLoaded', function () {
        var button = document.querySelector('.theme-toggle');
        if (!button) return;
        button.addEventListener('click', function () {
            var theme = isDark() ? 'light' : 'dark';
            root.setAttribute('data-theme', theme);
            try { localStorage.setItem('theme', theme); } catch (e) { /* not remembered, still applied */ }
        });
    });
})();
