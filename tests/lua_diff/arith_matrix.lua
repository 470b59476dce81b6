-- arithmetic matrix over edge values
local vals = {0, 1, -1, 2, -2, 0.5, -0.5, 3, -3, 7, -7, 1e15, -1e15, 2^53, 1/3, 1e-300, 1e300}
for _, a in ipairs(vals) do
  local row = {}
  for _, b in ipairs(vals) do
    local m = (b ~= 0) and (a % b) or "x"
    row[#row + 1] = tostring(m)
  end
  print("mod", a, table.concat(row, " "))
end
for _, a in ipairs(vals) do
  local row = {}
  for _, b in ipairs(vals) do row[#row + 1] = tostring(a / b) .. "," .. tostring(a * b) end
  print("divmul", a, table.concat(row, " "))
end
for _, a in ipairs({0, 1, -1, 2, -2, 0.5, 10, -10}) do
  local row = {}
  for _, b in ipairs({0, 1, -1, 2, -2, 0.5, 3, -3, 0.25}) do row[#row + 1] = tostring(a ^ b) end
  print("pow", a, table.concat(row, " "))
end
for _, a in ipairs(vals) do
  print("addsub", a, a + 1, a - 1, a + a, a - a, -a)
end
