-- length operator, next/pairs/ipairs order
local t = {1, 2, 3}
print(#t)
t[5] = 5
print(#t)
t[4] = 4
print(#t)
local h = {}
h[1] = 1; h[2] = 2; h[4] = 4
print(#h)
local c = {1, 2, 3, nil, 5}
print(#c)
local d = {nil, nil, 3}
print(#d)
local e = {}
for i = 1, 10 do e[i] = i end
e[10] = nil
print(#e)
e[5] = nil
print(#e)
local arr = {10, 20, 30, x = 1, y = 2}
local keys = {}
for k, v in pairs({10, 20, 30}) do keys[#keys + 1] = k .. "=" .. v end
print(table.concat(keys, " "))
for i, v in ipairs({1, 2, nil, 4}) do print("ipairs", i, v) end
local n = 0
for k, v in pairs(arr) do n = n + 1 end
print(n)
print(next({}), next({5}))
print(next({5}, 1))
print(pcall(next, {}, "nokey"))
local cnt = 0
for k in pairs({a = 1, b = 2, c = 3, 1, 2}) do cnt = cnt + 1 end
print(cnt)
local mod = {1, 2, 3, 4, 5}
for k, v in pairs(mod) do mod[k] = v * 2 end
print(table.concat(mod, ","))
local del = {a = 1, b = 2, c = 3}
for k in pairs(del) do del[k] = nil end
print(next(del))
local s = {}
s[1.5] = "f"; s[-1] = "n"; s[0] = "z"; s[1] = "one"
print(#s, s[1.5], s[-1], s[0])
local str = {}
str["1"] = "string one"; str[1] = "number one"
print(str["1"], str[1])
local f = {}
f[2^53] = "big"
print(f[2^53])
local z = {}
z[-0] = "negzero"
print(z[0])
print(#"", #{n = 1}, #{{}, {}})
local grow = {}
for i = 1, 100 do grow[#grow + 1] = i end
print(#grow, grow[#grow])
local shrink = {1, 2, 3, 4, 5, 6, 7, 8}
for i = 8, 5, -1 do shrink[i] = nil end
print(#shrink)
local sparse = {[1] = "a", [2] = "b", [3] = "c"}
print(#sparse)
local ctor = {[1] = 1, [2] = 2, 3}
print(ctor[1], ctor[2], #ctor)
