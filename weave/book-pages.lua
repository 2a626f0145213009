-- book-pages.lua: the woven book cut into the website's pages; a module that site.lua and
-- search-index.lua load with dofile.
--
-- Every level-1 heading starts a page, named after the heading's id with any "ch-" dropped
-- (# Waiting ... {#ch-poll} -> poll.html), so a new chapter file is a new page with no list
-- to keep. Headings are numbered here as pandoc's --number-sections numbers them in the
-- one-page book (unnumbered ones stay so), and every id is mapped to the page that holds it,
-- so that a link to #id anywhere can be sent to the right page.

local M = {}

local function file_name(id)
  local base = id:gsub('^ch%-', '')
  if base == '' or base == 'index' then
    error('book-pages: a chapter heading needs an id that can name its page, not "' .. id .. '"')
  end
  return base .. '.html'
end

-- Every identifier a block defines, in document order.
local function ids_in(blocks, found)
  local function note(el)
    if el.identifier and el.identifier ~= '' then table.insert(found, el.identifier) end
  end
  pandoc.walk_block(pandoc.Div(blocks), {
    Header = note, Div = note, Span = note, CodeBlock = note, Link = note, Image = note,
    Code = note, Table = note,
  })
  return found
end

-- The book: { pages = {page...}, page_of = {id -> file} }, where a page is
-- { id, file, number (string or nil), title (inlines), blocks, sections = {{id, number, title}} }.
function M.split(doc)
  local pages, page_of, counters, page = {}, {}, {}, nil
  for _, block in ipairs(doc.blocks) do
    if block.t == 'Header' then
      block = block:clone()    -- the numbers go into a copy: the document stays as it was
      local title, number = block.content:clone(), nil
      if not block.classes:includes('unnumbered') then
        counters[block.level] = (counters[block.level] or 0) + 1
        for l = block.level + 1, 6 do counters[l] = 0 end
        local parts = {}
        for l = 1, block.level do table.insert(parts, tostring(counters[l] or 0)) end
        number = table.concat(parts, '.')
        block.content:insert(1, pandoc.Space())
        block.content:insert(1, pandoc.Span({ pandoc.Str(number) }, { class = 'header-section-number' }))
      end
      if block.level == 1 then
        page = { id = block.identifier, file = file_name(block.identifier), number = number,
                 title = title, blocks = {}, sections = {} }
        table.insert(pages, page)
      elseif block.level == 2 and page then
        table.insert(page.sections, { id = block.identifier, number = number, title = title })
      end
    end
    if page then table.insert(page.blocks, block) end
  end
  for _, p in ipairs(pages) do
    for _, id in ipairs(ids_in(p.blocks, {})) do page_of[id] = page_of[id] or p.file end
  end
  return { pages = pages, page_of = page_of }
end

-- Where a link to #id goes from the page `from`: the id alone on its own page, the page alone
-- for a page's own heading, the page and the id otherwise; nil for an id the book lacks.
function M.href(book, id, from)
  local file = book.page_of[id]
  if not file then return nil end
  if file == from then return '#' .. id end
  for _, p in ipairs(book.pages) do
    if p.id == id then return p.file end
  end
  return file .. '#' .. id
end

return M
