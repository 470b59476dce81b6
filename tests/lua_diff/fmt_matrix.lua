-- string.format flag/width/precision matrix
local flags = {"", "-", "+", " ", "0", "#", "-+", "0+", "# ", "-#0"}
local widths = {"", "1", "6", "12"}
local precs = {"", ".0", ".1", ".3", ".10"}
local nums = {0, 1, -1, 3.14159, -2.5, 12345.6789, 1e-7, 1e20, 255}
for _, conv in ipairs({"d", "x", "o", "e", "f", "g", "G", "E", "X", "i"}) do
  for _, f in ipairs(flags) do
    local row = {}
    for _, w in ipairs(widths) do
      for _, p in ipairs(precs) do
        local fmt = "%" .. f .. w .. p .. conv
        local parts = {}
        for _, n in ipairs(nums) do parts[#parts + 1] = string.format(fmt, n) end
        row[#row + 1] = fmt .. "=[" .. table.concat(parts, "|") .. "]"
      end
    end
    print(table.concat(row, " "))
  end
end
for _, f in ipairs({"%s", "%5s", "%-5s", "%.1s", "%5.2s", "%-8.3s", "%q"}) do
  local parts = {}
  for _, s in ipairs({"", "a", "abc", "hello world", "tab\there", "quote\"d", "new\nline"}) do
    parts[#parts + 1] = string.format(f, s)
  end
  print(f, table.concat(parts, "|"))
end
for _, c in ipairs({65, 97, 48, 32, 126}) do io_ = string.format("%c|%3c|%-3c|", c, c, c) print(io_) end
