-- standard library contents (names sorted, values' types)
local function keys(t)
  local out = {}
  for k, v in pairs(t) do out[#out + 1] = k .. ":" .. type(v) end
  table.sort(out)
  return table.concat(out, " ")
end
print(keys(string))
print(keys(table))
print(keys(math))
print(keys(coroutine))
local g = {}
for _, name in ipairs({"assert", "collectgarbage", "error", "gcinfo", "getfenv", "getmetatable",
  "ipairs", "load", "loadstring", "next", "pairs", "pcall", "print", "rawequal", "rawget",
  "rawset", "select", "setfenv", "setmetatable", "tonumber", "tostring", "type", "unpack",
  "xpcall", "_G", "_VERSION"}) do
  g[#g + 1] = name .. ":" .. type(_G[name])
end
print(table.concat(g, " "))
print(type(rawlen), type(table.unpack), type(string.gfind), type(math.mod), type(table.getn))
