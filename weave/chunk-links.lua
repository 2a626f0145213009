-- chunk-links.lua: pandoc filter for the HTML books: every chunk use inside code, shown as
-- ⟨name 7f⟩, becomes a link to the chunk labelled 7f.
--
-- The chunk titles (spans of class chunk-title, written by nw2md.awk) give each label its
-- anchor. A code block cannot hold links, so each block is highlighted on its own with a plain
-- identifier in place of every use, and the identifier is then swapped for the link.

local anchor_of = {}   -- chunk label (7f) -> anchor (chunk-future-executor-functions)
local blocks_linked = 0

local function note_title(span)
  if span.classes:includes('chunk-title') then
    local label = pandoc.utils.stringify(span):match('(%w+)⟩%+?≡$')
    if label then anchor_of[label] = span.identifier end
  end
end

local function escape_html(s)
  return (s:gsub('&', '&amp;'):gsub('<', '&lt;'):gsub('>', '&gt;'):gsub('"', '&quot;'))
end

local function link_uses(block)
  local uses = {}
  local text = block.text:gsub('⟨([^\n]-) (%w+)⟩', function(name, label)
    if not anchor_of[label] then return nil end
    table.insert(uses, { text = '⟨' .. name .. ' ' .. label .. '⟩', anchor = anchor_of[label] })
    return 'nwChunkUse' .. #uses .. 'x'
  end)
  if #uses == 0 then return nil end
  -- an id of its own, or the writer numbers its line anchors cb1-1, cb1-2... in every block
  blocks_linked = blocks_linked + 1
  local code = pandoc.CodeBlock(text, block.attr)
  if code.identifier == '' then code.identifier = 'uses' .. blocks_linked end
  local html = pandoc.write(pandoc.Pandoc({ code }), 'html5')
  html = html:gsub('nwChunkUse(%d+)x', function(i)
    local use = uses[tonumber(i)]
    return '<a class="chunk-use" href="#' .. use.anchor .. '">' .. escape_html(use.text) .. '</a>'
  end)
  return pandoc.RawBlock('html', html)
end

function Pandoc(doc)
  if not FORMAT:match('html') then return nil end
  pandoc.walk_block(pandoc.Div(doc.blocks), { Span = note_title })
  return pandoc.Pandoc(pandoc.walk_block(pandoc.Div(doc.blocks), { CodeBlock = link_uses }).content,
                       doc.meta)
end
