-- answers.lua: pandoc filter for the answers to the exercises (book/95-answers.nw).
--
-- HTML: a `::: {.answer}` div becomes <details class="answer"> with a summary to click, so a
-- reader does not see an answer by accident; it opens and closes without JavaScript.
-- LaTeX: every link to an answer (#answer-...) or back to its exercise (#exercise-...) is
-- followed by that page, "(p. 412)".
-- Run it before site.lua, which cuts the book into pages.

function Div(div)
  if not div.classes:includes('answer') or not FORMAT:match('html') then return nil end
  local blocks = pandoc.List({
    pandoc.RawBlock('html', '<details class="answer"><summary>Show the answer</summary>') })
  blocks:extend(div.content)
  blocks:insert(pandoc.RawBlock('html', '</details>'))
  return blocks
end

function Link(link)
  local id = link.target:match('^#(answer%-.+)$') or link.target:match('^#(exercise%-.+)$')
  if not id or not FORMAT:match('latex') then return nil end
  return { link, pandoc.RawInline('latex', '~(p.~\\pageref{' .. id .. '})') }
end

-- LaTeX gives an empty span an anchor but no label: the exercise's anchor needs one for
-- \pageref.
function Span(span)
  if not span.identifier:match('^exercise%-') or not FORMAT:match('latex') then return nil end
  return { span, pandoc.RawInline('latex', '\\label{' .. span.identifier .. '}') }
end
