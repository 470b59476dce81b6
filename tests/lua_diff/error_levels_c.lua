-- error levels skip native (C) frames: sort comparators, gsub callbacks, __tostring
print(pcall(table.sort, {3, 2, 1}, function(a, b) error("cmp", 2) end))
print(pcall(string.gsub, "abc", "%w", function(c) error("cb", 2) end))
print(pcall(function() return tostring(setmetatable({}, {__tostring = function() error("ts", 2) end})) end))
print(pcall(function() local t = {} table.sort({2, 1}, function(a, b) error("lvl3", 3) end) end))
print(pcall(function() error("lvl2 in pcall'd fn", 2) end))
local function f() error("from f lvl 2", 2) end
print(pcall(function() f() end))
print(xpcall(function() error("x", 2) end, function(m) return m end))
print(pcall(function() local ok, e = pcall(error, "inner", 2) return e end))
