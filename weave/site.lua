-- site.lua: pandoc filter that turns the woven book into the website.
--
--   pandoc build/book.md -L weave/chunk-links.lua -L weave/search-index.lua -L weave/site.lua \
--          --template weave/page.html -o build/site/index.html
--
-- It writes one page per chapter (book-pages.lua cuts the book) next to the output file, each
-- through the same template as the home page, and sends every link to #id to the page that
-- holds id. What pandoc itself writes becomes the home page: title, description and the
-- chapter map. The template gets the navigation as metadata: the chapters (with the current
-- one's sections), and the previous and next pages.

local dir = PANDOC_SCRIPT_FILE:match('^(.*[/\\])') or './'
local pages_of = dofile(dir .. 'book-pages.lua')

local function read(path)
  local f = assert(io.open(path, 'r'))
  local text = f:read('a')
  f:close()
  return text
end

local function write(path, text)
  local f = assert(io.open(path, 'w'))
  f:write(text)
  f:close()
end

-- The first sentence of a chapter's first paragraph: its line in the chapter map.
local function summary(page)
  for _, block in ipairs(page.blocks) do
    if block.t == 'Para' then
      local text = pandoc.utils.stringify(block)
      local sentence = text:match('^(.-[.?!])%s') or text
      if #sentence > 240 then sentence = sentence:sub(1, 230):gsub('%s+%S*$', '') .. ' …' end
      return pandoc.MetaInlines({ pandoc.Str(sentence) })
    end
  end
  return nil
end

local function page_link(page)
  if not page then return nil end
  return pandoc.MetaMap({ href = page.file, number = page.number,
                          title = pandoc.MetaInlines(page.title) })
end

-- The chapter list as the template sees it, from the point of view of page `current`.
local function chapters(book, current)
  local list = {}
  for _, page in ipairs(book.pages) do
    local entry = { href = page.file, number = page.number, title = pandoc.MetaInlines(page.title),
                    summary = summary(page) }
    if page == current then
      entry.current = true
      for _, s in ipairs(page.sections) do
        entry.sections = entry.sections or {}
        table.insert(entry.sections, pandoc.MetaMap({ href = '#' .. s.id, number = s.number,
                                                       title = pandoc.MetaInlines(s.title) }))
      end
    end
    table.insert(list, pandoc.MetaMap(entry))
  end
  return pandoc.MetaList(list)
end

-- Every link to #id on page `file` goes to the page that holds id.
local function send_links(book, blocks, file)
  local function target(id) return pages_of.href(book, id, file) end
  local function raw(el)
    if el.format == 'html' then
      el.text = el.text:gsub('href="#([^"]+)"', function(id)
        local t = target(id)
        return t and ('href="' .. t .. '"') or nil
      end)
      return el
    end
  end
  return pandoc.walk_block(pandoc.Div(blocks), {
    Link = function(link)
      local id = link.target:match('^#(.+)$')
      if id and target(id) then link.target = target(id) end
      return link
    end,
    RawBlock = raw, RawInline = raw,
  }).content
end

local function navigation(meta, book, index, title_of_book)
  local page = book.pages[index]
  meta.chapters = chapters(book, page)
  meta['book-title'] = title_of_book
  if index == 0 then
    meta.next = page_link(book.pages[1])
  else
    meta.prev = index == 1 and pandoc.MetaMap({ href = 'index.html', title = title_of_book })
                or page_link(book.pages[index - 1])
    meta.next = page_link(book.pages[index + 1])
  end
  return meta
end

function Pandoc(doc)
  local out = PANDOC_STATE.output_file or error('site.lua: give pandoc an output file (-o)')
  local out_dir = out:match('^(.*)/') or '.'
  local template = pandoc.template.compile(read(dir .. 'page.html'))
  local book = pages_of.split(doc)
  local title_of_book = doc.meta.title
  local book_name = pandoc.utils.stringify(title_of_book)

  for i, page in ipairs(book.pages) do
    local meta = navigation({}, book, i, title_of_book)
    meta.pagetitle = pandoc.utils.stringify(page.title) .. ' · ' .. book_name
    local html = pandoc.write(pandoc.Pandoc(send_links(book, page.blocks, page.file), meta),
                              'html5', { template = template })
    write(out_dir .. '/' .. page.file, html)
  end

  local meta = navigation(doc.meta, book, 0, title_of_book)
  meta.home = true
  meta.pagetitle = book_name
  return pandoc.Pandoc({}, meta)
end
