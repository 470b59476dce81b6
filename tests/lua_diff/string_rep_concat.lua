-- concat chains, numbers in concat, rep and long strings
local t = {}
for i = 1, 5 do t[i] = string.rep(tostring(i), i) end
print(table.concat(t, "-"))
print(1 .. "" .. 2 .. "" .. 3, "a" .. 1.5 .. "b" .. -2)
local s = ""
for i = 1, 100 do s = s .. (i % 10) end
print(#s, s:sub(1, 20), s:sub(-10))
print(("ab"):rep(3) .. ("cd"):rep(2))
print(#string.rep("x", 10000), #(string.rep("ab", 500) .. string.rep("c", 500)))
local parts = {}
for i = 1, 3 do parts[#parts + 1] = "[" .. i .. "]" end
print(table.concat(parts))
print(pcall(function() return "a" .. nil end))
print(pcall(function() return "a" .. {} .. "b" end))
print(pcall(function() local x = true return "v:" .. x end))
print(2 .. 3 + 1, "1" + "2" .. "3")
print(("x"):rep(3):upper():lower():len())
