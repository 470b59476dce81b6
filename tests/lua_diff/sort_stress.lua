-- table.sort on larger inputs, compared to a reference insertion sort
local function lcg(seed) local x = seed return function() x = (x * 1103515245 + 12345) % 2147483648 return x end end
local rnd = lcg(42)
local function issorted(t, cmp)
  for i = 2, #t do if cmp(t[i], t[i - 1]) then return false end end
  return true
end
for _, n in ipairs({5, 10, 50, 100, 500, 1000}) do
  local t = {}
  for i = 1, n do t[i] = rnd() % 1000 end
  table.sort(t)
  local u = {}
  for i = 1, n do u[i] = rnd() % 100 end
  table.sort(u, function(a, b) return a > b end)
  print(n, issorted(t, function(a, b) return a < b end), issorted(u, function(a, b) return a > b end), t[1], t[n], u[1], u[n])
end
local words = {}
for i = 1, 200 do words[i] = string.char(97 + rnd() % 26, 97 + rnd() % 26, 97 + rnd() % 26) end
table.sort(words)
print(words[1], words[100], words[200])
local recs = {}
for i = 1, 100 do recs[i] = {k = rnd() % 10, id = i} end
table.sort(recs, function(a, b) if a.k ~= b.k then return a.k < b.k end return a.id < b.id end)
local out = {}
for i = 1, 10 do out[i] = recs[i].k .. ":" .. recs[i].id end
print(table.concat(out, " "))
local ties = {}
for i = 1, 100 do ties[i] = {k = rnd() % 3, id = i} end
table.sort(ties, function(a, b) return a.k < b.k end)
out = {}
for i = 1, 100 do out[i] = ties[i].id end
print(table.concat(out, " "))
local already = {}
for i = 1, 300 do already[i] = i end
table.sort(already)
print(already[1], already[150], already[300])
local rev = {}
for i = 1, 300 do rev[i] = 301 - i end
table.sort(rev)
print(rev[1], rev[150], rev[300])
local same = {}
for i = 1, 100 do same[i] = 7 end
table.sort(same)
print(same[1], same[100])
local fl = {}
for i = 1, 50 do fl[i] = (rnd() % 1000) / 7 - 50 end
table.sort(fl)
print(fl[1], fl[25], fl[50])
