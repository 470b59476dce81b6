-- byte/char round trips and binary data
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
local s = table.concat(all)
local ok = true
for i = 1, 256 do if s:byte(i) ~= i - 1 then ok = false end end
print(#s, ok)
print(s:sub(49, 58), s:sub(65, 90), s:sub(97, 122))
print(select("#", s:byte(1, -1)))
print(string.byte("hello", -3, -1))
print(("\0\1\2"):byte(1, 3))
local t = {}
for c in ("abc"):gmatch(".") do t[#t + 1] = c:byte() end
print(table.concat(t, ","))
print(string.char(unpack({104, 105})))
print(("%c%c"):format(0x4c, 0x75) .. "a")
print(s:find("\0", 1, true), s:find("%z"), s:find("[\200-\210]"))
print(#s:gsub("%c", ""), #s:gsub("%w", ""), #s:gsub("%p", ""), #s:gsub("%s", ""))
print(#s:gsub("%a", ""), #s:gsub("%l", ""), #s:gsub("%u", ""), #s:gsub("%x", ""), #s:gsub("%d", ""))
print(#s:upper(), s:upper():sub(98, 100), s:lower():sub(66, 68))
print(string.format("%q", "\1\2\0\r\n") == '"\1\2\\000\\r\\\n"')
