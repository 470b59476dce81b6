-- concatenation, coercion, escapes, long strings, comparison
print("a" .. "b" .. "c", 1 .. 2, 1.5 .. "", "x" .. 10 / 2)
print(#("abc" .. "def"), ("x"):rep(3, ","))
print("tab\tnew\\n", 'single "double"', "double 'single'")
print("\97\98\99", "\x41", "null:\0:end" == "null:\0:end", #"\0\0\0")
print("bell\a" == "bell\7", "\n" == "\10", "\\" == "\92")
print([[a\nb]], [==[]]]==], #[[
]])
print("a" < "b", "a" < "aa", "" < "a", "Z" < "a", "abc" == "abc")
local s = ""
for i = 1, 10 do s = s .. i end
print(s, #s)
local parts = {}
for w in ("a,b,c"):gmatch("[^,]+") do parts[#parts + 1] = w:upper() end
print(table.concat(parts, "|"))
print(("%s has %d items"):format("cart", 3))
print(tostring(12):rep(2), ("5" + 5) .. "")
print(string.byte("\255"), string.char(255) == "\255")
local bin = ""
for i = 0, 255 do bin = bin .. string.char(i) end
print(#bin, bin:byte(1), bin:byte(256), bin:sub(66, 70))
print(bin:upper():sub(98, 100), bin:lower():sub(66, 68))
print(("hello world"):find("wor"), ("hello"):rep(0) == "")
print(string.format("%q", bin:sub(1, 20)):len())
print(#tostring(0.1), tostring(100):len())
print("1" == 1, "abc" ~= "abd")
-- comment at end
--[[ block
comment ]] print("after block comment")
--[==[ another ]==] print("after level comment")
