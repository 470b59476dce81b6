-- table.insert/remove/concat/maxn/getn
local t = {}
table.insert(t, "a"); table.insert(t, "b"); table.insert(t, 1, "z")
print(table.concat(t, ","), #t)
table.insert(t, 2, "y")
print(table.concat(t, ","))
print(table.remove(t), table.concat(t, ","))
print(table.remove(t, 1), table.concat(t, ","))
print(table.remove({}), select("#", table.remove({})))
print(table.remove({1, 2, 3}, 5), table.remove({1, 2, 3}, 0))
print(table.concat({1, 2, 3}), table.concat({1, 2, 3}, ", "), table.concat({}, "x"))
print(table.concat({1, 2, 3, 4}, "-", 2), table.concat({1, 2, 3, 4}, "-", 2, 3), table.concat({1, 2}, "-", 3))
print(table.concat({"a", 1.5, 2}, " "))
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.concat, {1, 2}, ",", 1, 5))
print(pcall(table.concat, nil))
print(pcall(table.concat, {}, {}))
print(table.maxn({1, 2, 3}), table.maxn({[10] = 1, [2.5] = 2}), table.maxn({}), table.maxn({a = 1}))
print(table.getn({1, 2, 3}), pcall(table.setn, {}, 1))
print(pcall(table.insert, {}, 1, 2, 3))
print(pcall(table.insert, {}))
print(pcall(table.insert, nil, 1))
print(pcall(table.insert, {}, "x", 1))
local big = {}
for i = 1, 100 do big[i] = i end
for i = 1, 50 do table.remove(big, 1) end
print(#big, big[1], big[50])
local q = {1, 2, 3}
table.insert(q, 10, "far")
print(#q, q[10])
print(table.foreachi({"a", "b"}, function(i, v) print(i, v) end))
print(table.foreach({x = 1}, function(k, v) return k .. v end))
local tt = {n = 1}
table.insert(tt, "v")
print(tt[1], tt.n)
local holes = {1, 2, nil, 4}
print(#holes)
table.insert(holes, 5)
print(holes[5])
