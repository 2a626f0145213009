-- search-index.lua: pandoc filter that writes the website's search index, search-index.js,
-- next to pandoc's output file; the document itself passes through unchanged. search.js loads
-- the index with a <script> tag, which works from file:// where fetch() of a JSON file does not.
--
-- The index is  BOOK_SEARCH = { pages: [[file, number, title]...],
--                               entries: [[page, anchor, kind, title, section, text]...] }
-- with one entry per heading ("section"), per chunk ("chunk": its name, file and line), per
-- paragraph or list of prose ("text"), and per definition of an identifier in the identifier
-- index ("definition", found in the index's lines: the bold labels are the definitions).

local dir = PANDOC_SCRIPT_FILE:match('^(.*[/\\])') or './'
local pages_of = dofile(dir .. 'book-pages.lua')
local stringify = pandoc.utils.stringify

local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    if c == '"' or c == '\\' then return '\\' .. c end
    if c == '\n' or c == '\t' or c == '\r' then return ' ' end
    return string.format('\\u%04x', c:byte())
  end) .. '"'
end

local function json(value)
  if type(value) == 'table' then
    local parts = {}
    for _, v in ipairs(value) do table.insert(parts, json(v)) end
    return '[' .. table.concat(parts, ',') .. ']'
  elseif type(value) == 'number' then
    return tostring(value)
  end
  return json_string(tostring(value or ''))
end

local function heading_text(number, title)
  return (number and (number .. ' ') or '') .. stringify(title)
end

function Pandoc(doc)
  local out = PANDOC_STATE.output_file or error('search-index.lua: give pandoc an output file (-o)')
  local book = pages_of.split(doc)
  local pages, entries = {}, {}
  local chunks = {}          -- chunk anchor -> { page, title, where, section }
  local definitions = {}     -- LineBlocks of the identifier index, read after every chunk is known

  for p, page in ipairs(book.pages) do
    table.insert(pages, { page.file, page.number or '', stringify(page.title) })
    local section = { id = page.id, title = heading_text(page.number, page.title) }
    local function add(anchor, kind, title, text)
      table.insert(entries, { p - 1, anchor, kind, title, section.title, text })
    end
    local function visit(blocks)
      for _, block in ipairs(blocks) do
        if block.t == 'Header' then
          section = { id = block.identifier, title = stringify(block) }
          add(block.identifier, 'section', section.title, '')
        elseif block.t == 'Div' and block.classes:includes('chunk') then
          local title, where, anchor = '', '', nil
          pandoc.walk_block(block, { Span = function(span)
            if span.classes:includes('chunk-title') then anchor, title = span.identifier, stringify(span) end
            if span.classes:includes('chunk-where') then where = stringify(span) end
          end })
          if anchor then
            chunks[anchor] = { page = p - 1, title = title, where = where, section = section.title }
            add(anchor, 'chunk', title, where)
          end
        elseif block.t == 'Div' then
          visit(block.content)
        elseif block.t == 'LineBlock' then
          table.insert(definitions, block)
        elseif block.t ~= 'CodeBlock' and block.t ~= 'RawBlock' and block.t ~= 'HorizontalRule' then
          local text = stringify(block)
          if text ~= '' then add(section.id, 'text', section.title, text) end
        end
      end
    end
    visit(page.blocks)
  end

  -- identifier index lines: `name`: **7o**, **2s**, 7c, ...
  for _, lines in ipairs(definitions) do
    for _, line in ipairs(lines.content) do
      local name = line[1] and line[1].t == 'Code' and line[1].text
      if name then
        for _, inline in ipairs(line) do
          if inline.t == 'Strong' then
            pandoc.walk_inline(inline, { Link = function(link)
              local chunk = chunks[link.target:sub(2)]
              if chunk then
                table.insert(entries, { chunk.page, link.target:sub(2), 'definition', name, chunk.section,
                                        'defined in ' .. chunk.title .. ' ' .. chunk.where })
              end
            end })
          end
        end
      end
    end
  end

  local path = (out:match('^(.*)/') or '.') .. '/search-index.js'
  local f = assert(io.open(path, 'w'))
  f:write('// search-index.js: written by weave/search-index.lua; read by search.js.\n')
  f:write('window.BOOK_SEARCH = {"pages":', json(pages), ',\n"entries":[\n')
  for i, e in ipairs(entries) do f:write(json(e), i < #entries and ',\n' or '\n') end
  f:write(']};\n')
  f:close()
  return nil
end
