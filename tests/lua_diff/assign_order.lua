-- multiple assignment and evaluation order
local a, b, c = 1, 2
print(a, b, c)
a, b = b, a
print(a, b)
local t = {1, 2, 3}
local i = 1
i, t[i] = i + 1, 20
print(i, t[1], t[2])
local x, y, z = (function() return 1, 2, 3 end)()
print(x, y, z)
local p, q = 1, (function() return 2, 3 end)()
print(p, q)
local u, v, w = (function() return 1, 2 end)(), 10
print(u, v, w)
local order = {}
local function f(n) order[#order + 1] = n; return n end
local r1, r2 = f(1), f(2)
print(table.concat(order, ","))
local tt = {}
tt[f(3)], tt[f(4)] = f(5), f(6)
print(table.concat(order, ","), tt[3], tt[4])
local m = {}
m.a, m.b, m.c = 1
print(m.a, m.b, m.c)
local g1, g2 = 1, 2, 3
print(g1, g2)
local q1 = {}
q1.x, q1.y = 1, 2, f(7)
print(q1.x, q1.y, order[#order])
local aa, bb = 1
aa, bb = bb, aa
print(aa, bb)
local arr = {}
local idx = 1
idx, arr[idx] = 2, "first"
print(idx, arr[1], arr[2])
GA, GB = 10, 20
GA, GB = GB, GA
print(GA, GB)
local s = {n = 0}
s.n, s.m = s.n + 1, s.n + 2
print(s.n, s.m)
