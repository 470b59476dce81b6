-- table.sort
local function show(t) return table.concat(t, " ") end
local t = {5, 2, 8, 1, 9, 3, 7, 4, 6, 0}
table.sort(t); print(show(t))
table.sort(t, function(a, b) return a > b end); print(show(t))
local s = {"banana", "apple", "Cherry", "date", "apple"}
table.sort(s); print(show(s))
local one = {1}; table.sort(one); print(show(one))
local empty = {}; table.sort(empty); print(#empty)
local two = {2, 1}; table.sort(two); print(show(two))
local three = {3, 1, 2}; table.sort(three); print(show(three))
local recs = {{n = "a", v = 3}, {n = "b", v = 1}, {n = "c", v = 3}, {n = "d", v = 2}, {n = "e", v = 1}}
table.sort(recs, function(x, y) return x.v < y.v end)
local o = {}
for i, r in ipairs(recs) do o[i] = r.n .. r.v end
print(show(o))
local many = {}
for i = 1, 200 do many[i] = (i * 7919) % 101 end
table.sort(many)
local okSorted = true
for i = 2, #many do if many[i - 1] > many[i] then okSorted = false end end
print(okSorted, many[1], many[100], many[200])
local ties = {}
for i = 1, 30 do ties[i] = {k = i % 3, id = i} end
table.sort(ties, function(a, b) return a.k < b.k end)
local ids = {}
for i, v in ipairs(ties) do ids[i] = v.id end
print(show(ids))
print(pcall(table.sort, {3, 1, "x"}))
print(pcall(table.sort, {1, 2, 3}, 5))
print(pcall(table.sort, {{}, {}}))
print(pcall(table.sort, {1, nil, 3}))
local bad = {}
for i = 1, 20 do bad[i] = i % 5 end
print(pcall(table.sort, bad, function(a, b) return true end))
local neg = {3.5, -1, 2, -7.25, 0}
table.sort(neg); print(show(neg))
local mixedcase = {"b", "B", "a", "A"}
table.sort(mixedcase); print(show(mixedcase))
local rev = {}
for i = 1, 15 do rev[i] = 16 - i end
local cmpcount = 0
table.sort(rev, function(a, b) cmpcount = cmpcount + 1 return a < b end)
print(show(rev), cmpcount)
local strs = {"10", "9", "100", "1"}
table.sort(strs); print(show(strs))
table.sort(strs, function(a, b) return tonumber(a) < tonumber(b) end); print(show(strs))
