#!/usr/bin/python3
"""site-test.py SITE_DIR [BOOK_DIR]: the website in a real browser (headless Chromium driven
through WebDriver by Debian's python3-selenium; run it with /usr/bin/python3).

It loads every page of SITE_DIR and fails, naming the page, when a link to a page or an anchor
of the site has no target, an image has not loaded, the console reports an error, the page is
wider than a 400- or 360-pixel window, or the dark theme leaves the background light. Then:
at 400 pixels the menu button must open the hidden sidebar; the arrow keys must move to the
next page and back;
following "next" from index.html must visit every chapter of BOOK_DIR (default book/) in book
order; index.html?search=reactor_register must list the future chapter's chunk that defines
reactor_register first; the theme toggle must be remembered on the next page.
The one-page book.html next to SITE_DIR, if there, must fit the phone widths too.
Its last line is "site-test: N passed, M failed"; the exit status is 1 when anything failed.
"""
import glob
import os
import re
import shutil
import sys
import tempfile
import time
from urllib.parse import unquote, urldefrag, urlparse

CHROMIUM, CHROMEDRIVER = '/usr/bin/chromium', '/usr/bin/chromedriver'
INSTALL = 'install them with: make -f build.mk deps (Debian: chromium chromium-driver python3-selenium)'

passed, failures = 0, []


def check(ok, page, what):
    global passed
    if ok:
        passed += 1
    else:
        failures.append(f'{page}: {what}')
        print(f'site-test: FAIL {page}: {what}', flush=True)


def start_browser():
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append('python3-selenium (for /usr/bin/python3)')
    if missing:
        sys.exit(f'site-test: FAIL: cannot drive a browser, missing {", ".join(missing)}; {INSTALL}')
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                '--disable-background-networking', '--disable-component-update', '--disable-sync',
                '--no-first-run', '--window-size=1280,900', f'--user-data-dir={tempfile.mkdtemp()}'):
        options.add_argument(arg)
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def console_errors(driver):
    return [e['message'] for e in driver.get_log('browser') if e['level'] == 'SEVERE']


def set_width(driver, width):
    driver.set_window_size(width, 900)
    return driver.execute_script('return window.innerWidth')


PAGE_FACTS = '''
    const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
    const links = [...document.querySelectorAll('a[href], link[href]')].map(a => a.href);
    const broken = [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src);
    return [ids, links, broken];
'''

TOO_WIDE = '''
    const w = window.innerWidth;
    if (document.documentElement.scrollWidth <= w) return null;
    // the outermost element that sticks out of a parent that fits and does not scroll
    const culprits = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1 &&
        e.parentElement.getBoundingClientRect().right <= w + 1 && getComputedStyle(e.parentElement).overflowX === 'visible');
    const e = culprits[0] || document.documentElement;
    return document.documentElement.scrollWidth + 'px wide, e.g. <' + e.tagName.toLowerCase() +
           (e.className ? ' class="' + e.className + '"' : '') + '> ' + (e.textContent || '').trim().slice(0, 60);
'''

BACKGROUND = '''
    for (const e of [document.body, document.documentElement]) {
        const m = getComputedStyle(e).backgroundColor.match(/[0-9.]+/g).map(Number);
        if (m.length < 4 || m[3] > 0) return m.slice(0, 3);
    }
    return [255, 255, 255];
'''


def luminance(rgb):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def chapter_titles(book_dir):
    """The first '# ' heading of every chapter file, in book order, as plain text."""
    titles = []
    for path in sorted(glob.glob(os.path.join(book_dir, '*.nw'))):
        with open(path, encoding='utf-8') as f:
            for line in f:
                m = re.match(r'(?:@\s+)?#\s+(.*?)\s*(\{[^}]*\})?\s*$', line)
                if m:
                    # markup only: pandoc reads an underscore inside a word (io_uring) as itself
                    plain = re.sub(r'[`*]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])', '', m.group(1))
                    titles.append((os.path.basename(path), plain))
                    break
    return titles


def heading(driver):
    text = driver.execute_script("const h = document.querySelector('main h1'); return h ? h.textContent : ''")
    return re.sub(r'^\d+\s+', '', ' '.join(text.split()))


def main():
    site = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else 'build/site')
    book_dir = sys.argv[2] if len(sys.argv) > 2 else 'book'
    if not os.path.isfile(os.path.join(site, 'index.html')):
        sys.exit(f'site-test: FAIL: no {site}/index.html; build the site first: make -f build.mk site')
    started = time.monotonic()
    driver = start_browser()
    try:
        run(driver, site, book_dir)
    finally:
        driver.quit()
    print(f'site-test: {len(glob.glob(os.path.join(site, "*.html")))} pages checked in '
          f'{time.monotonic() - started:.0f} s')


def run(driver, site, book_dir):
    from selenium.webdriver.common.keys import Keys
    base = 'file://' + site + '/'
    pages = sorted(os.path.basename(p) for p in glob.glob(os.path.join(site, '*.html')))
    ids, links = {}, {}

    # every page: images, console, width at 400 and 360 pixels
    for page in pages:
        driver.get(base + page)
        ids[page], links[page], broken = driver.execute_script(PAGE_FACTS)
        check(not broken, page, f'images that did not load: {broken}')
        for width in (400, 360):
            inner = set_width(driver, width)
            wide = driver.execute_script(TOO_WIDE)
            check(wide is None, page, f'wider than a {inner}-pixel window: {wide}')
        set_width(driver, 1280)
        errors = console_errors(driver)
        check(not errors, page, f'console errors: {errors}')

    # the one-page book next to the site, when it has been built, must fit a phone too
    one_page = os.path.join(os.path.dirname(site), 'book.html')
    if os.path.exists(one_page):
        driver.get('file://' + one_page)
        for width in (400, 360):
            inner = set_width(driver, width)
            wide = driver.execute_script(TOO_WIDE)
            check(wide is None, one_page, f'wider than a {inner}-pixel window: {wide}')
        set_width(driver, 1280)
        errors = console_errors(driver)
        check(not errors, one_page, f'console errors: {errors}')

    # every link into the site has a target
    for page in pages:
        bad = set()
        for url in links[page]:
            if not url.startswith(base):
                continue     # outside the site: ../book.pdf, the web
            path, fragment = urldefrag(url)
            target = unquote(urlparse(path).path)[len(site) + 1:]
            if not os.path.exists(os.path.join(site, target)):
                bad.add(f'{target} (no such file)')
            elif fragment and target.endswith('.html') and unquote(fragment) not in ids.get(target, ()):
                bad.add(f'{target}#{fragment} (no such anchor)')
        check(not bad, page, f'links without a target: {sorted(bad)[:10]}{" ..." if len(bad) > 10 else ""}')

    # at 400 pixels the sidebar waits behind the menu button (a checkbox and CSS, no script)
    driver.get(base + 'index.html')
    set_width(driver, 400)
    shown = "return getComputedStyle(document.querySelector('.sidebar')).display !== 'none'"
    hidden_first = not driver.execute_script(shown)
    driver.find_element('css selector', '.menu-button').click()
    check(hidden_first and driver.execute_script(shown), 'index.html',
          'at 400 pixels the sidebar is not hidden behind the menu button, or the button does not open it')
    set_width(driver, 1280)

    # the right arrow key goes to the next page, the left one back
    def press(key):
        before = driver.current_url
        driver.find_element('css selector', 'body').send_keys(key)
        for _ in range(50):      # the page changes after the key event: wait for it, 5 s at most
            if driver.current_url != before and driver.execute_script('return document.readyState') == 'complete':
                break
            time.sleep(0.1)
        return driver.current_url
    driver.get(base + 'index.html')
    after_right = press(Keys.ARROW_RIGHT)
    press(Keys.ARROW_LEFT)
    check(after_right != base + 'index.html' and driver.current_url == base + 'index.html', 'index.html',
          f'the arrow keys do not move to the next page and back (right arrow: {after_right}, '
          f'left arrow: {driver.current_url})')

    # following "next" from the home page visits every chapter in book order
    expected = chapter_titles(book_dir)
    driver.get(base + 'index.html')
    visited, url_of = [], {}
    for _ in range(len(pages) + 1):
        nexts = driver.find_elements('css selector', 'a[rel="next"]')
        if not nexts:
            break
        nexts[0].click()
        title = heading(driver)
        visited.append(title)
        url_of[title] = driver.current_url
    want = [t for _, t in expected]
    check(visited[:len(want)] == want, 'index.html', 'following "next" does not visit the chapters in book order:'
          f'\n    expected {want}\n    visited  {visited}')

    # ?search=reactor_register lists the future chapter's defining chunk first
    future = [t for f, t in expected if re.match(r'\d+-future\.nw$', f)]
    driver.get(base + 'index.html?search=reactor_register')
    first = None
    for _ in range(50):
        found = driver.find_elements('css selector', '#search-results li a')
        if found:
            first = found[0].get_attribute('href')
            break
        time.sleep(0.1)
    if first is None:
        check(False, 'index.html?search=reactor_register', 'shows no results')
    else:
        driver.get(first)
        target = urldefrag(first)[1]
        code = driver.execute_script('''
            const t = document.getElementById(arguments[0]);
            const chunk = t && t.classList.contains('chunk-title') && t.closest('.chunk');
            return chunk ? chunk.querySelector('pre').textContent : null;''', target)
        defines = code is not None and re.search(r'^[A-Za-z_][^;\n]*\breactor_register\s*\([^;]*$', code, re.M)
        check(bool(future) and heading(driver) == future[0] and defines, 'index.html?search=reactor_register',
              f'the first result, {first}, is not the future chapter\'s chunk that defines reactor_register')

    # the dark theme: a dark background on every page; the toggle is remembered
    driver.execute_cdp_cmd('Emulation.setEmulatedMedia',
                           {'features': [{'name': 'prefers-color-scheme', 'value': 'dark'}]})
    for page in pages:
        driver.get(base + page)
        background = driver.execute_script(BACKGROUND)
        check(luminance(background) < 0.2, page, f'dark theme, yet the background is light: rgb{tuple(background)}')
    driver.get(base + 'index.html')
    driver.find_element('css selector', '.theme-toggle').click()
    driver.get(base + pages[-1])
    light_after = luminance(driver.execute_script(BACKGROUND))
    driver.execute_script('localStorage.clear()')
    check(light_after > 0.5, pages[-1], 'the light theme chosen with the toggle on index.html is not remembered here')
    errors = console_errors(driver)
    check(not errors, 'dark theme pass', f'console errors: {errors}')


if __name__ == '__main__':
    main()
    print(f'site-test: {passed} passed, {len(failures)} failed')
    if failures:
        print('site-test: failures:\n  ' + '\n  '.join(failures))
        sys.exit(1)
