-- generated random statements (closures, upvalues, multiple assignment, errors)
local a, b, c = 1, "2", 3
local t = {1, 2, x = "X"}
local n = 0
local out, fs = {}, {}
local function f1() return a, b end
local function f2(x, ...) return x, select("#", ...) end
pcall(function() c, a = (a or 0) end)
pcall(function() a, c = ((f2(a) * (a or 0)) or (c < f1())) end)
pcall(function() a, b = ((n + 1) or (-3 .. f1())), "s", ((c * b) < (#t % b)) end)
pcall(function() c = a, ((a % #t) * f2(a)) end)
pcall(function() a = (((a or 0) or "s") .. "s"), (((a or 0) * c) % (#t + 2)), ((a or 0) - (2 - t[1])) end)
for i = 1, 3 do local w = 0 while w < 1 do w = w + 1 pcall(function() b, a = "7" end) end end
do local a = select(2, pcall(function() return ((#t == t.x) + "7") end)); table.insert(t, n); out[#out + 1] = tostring(a) end
pcall(function() t[2] = ((2 * "s") < (#t and 2)) end)
fs[#fs + 1] = function() return (((a or 0) - n) or (a or 0)) end
if select(2, pcall(function() return ((2 - c) and (0.5 < "s")) end)) then pcall(function() t[a] = (0.5 - (f1() < t[1])) end) else pcall(function() t[1] = "s" end) end
do local ok, e = pcall(function() return t.x end) out[#out + 1] = tostring(ok) .. ":" .. tostring(e) end
do local a = select(2, pcall(function() return ((1 % f2(a)) or (f1() .. -3)) end)); pcall(function() c = 2, (t[1] + (1 + t.x)) end); out[#out + 1] = tostring(a) end
pcall(function() n = select("#", f2(a), (t.x .. (t.x % n))) end)
table.insert(t, n)
pcall(function() t[#t + 1] = ((t.x * a) - (2 .. f1())) end)
pcall(function() c, a = (2 .. 0.5) end)
pcall(function() out[#out + 1] = tostring(1) end)
pcall(function() out[#out + 1] = tostring(f1()) end)
fs[#fs + 1] = function() return f2(a) end
pcall(function() t[1] = t.x end)
if select(2, pcall(function() return (2 or (f2(a) % n)) end)) then for i = 1, 2 do fs[#fs + 1] = function() return ((c and "7") - (t[1] % n)) end end else pcall(function() c, a = ("7" * t.x), (#t == (c % 1)) end) end
pcall(function() t["x"] = -3 end)
table.insert(t, #t)
if select(2, pcall(function() return ((1 - "s") < (2 * 2)) end)) then for i = 1, 1 do fs[#fs + 1] = function() return ((a or 0) == ("s" % -3)) end end else pcall(function() n = select("#") end) end
pcall(function() a = ((#t and 0.5) .. (2 and (a or 0))) end)
for i = 1, 0 do do local a = select(2, pcall(function() return ((t.x * "7") + (1 or -3)) end)); fs[#fs + 1] = function() return ((a and "7") == #t) end; out[#out + 1] = tostring(a) end end
pcall(function() b, c = f2(a), #t end)
pcall(function() a = ((c % "s") == 1) end)
fs[#fs + 1] = function() return ((-3 - t.x) .. #t) end
for i = 1, 2 do do local a = select(2, pcall(function() return (("s" and t[1]) - #t) end)); pcall(function() b = (c < "s"), -3, 0.5 end); out[#out + 1] = tostring(a) end end
pcall(function() t[2] = (a or 0) end)
local w = 0 while w < 1 do w = w + 1 if select(2, pcall(function() return (("7" == t.x) + (f1() or f2(a))) end)) then pcall(function() out[#out + 1] = tostring(((a and t.x) % ("7" * "7"))) end) else pcall(function() b, c = f2(a), ((1 * "s") * (#t < #t)), -3 end) end end
pcall(function() a = (c * f1()), ((c < t[1]) and t[1]), f2(a) end)
local w = 0 while w < 3 do w = w + 1 pcall(function() b, c = ((1 % "s") or (c or "s")) end) end
for i = 1, 1 do local w = 0 while w < 3 do w = w + 1 pcall(function() t[#t + 1] = ((f2(a) + 2) * (f1() * "7")) end) end end
fs[#fs + 1] = function() return "s" end
do local a = select(2, pcall(function() return ((f2(a) .. t.x) or (2 - -3)) end)); pcall(function() a = (a or 0), ("s" and -3), (((a or 0) < "7") == "s") end); out[#out + 1] = tostring(a) end
do local a = select(2, pcall(function() return ((t[1] == "s") .. (t.x + "s")) end)); pcall(function() a, b = 1, a end); out[#out + 1] = tostring(a) end
pcall(function() c = t.x, t[1], -3 end)
for i = 1, 3 do pcall(function() t[2] = ((#t or "s") and (0.5 == f2(a))) end) end
if select(2, pcall(function() return n end)) then if select(2, pcall(function() return (2 * (n < t.x)) end)) then pcall(function() n = select("#") end) else pcall(function() b = 1 end) end else do local a = select(2, pcall(function() return c end)); pcall(function() t[a] = ((0.5 + t.x) or (#t % 1)) end); out[#out + 1] = tostring(a) end end
pcall(function() t["x"] = ("7" < (t.x .. b)) end)
fs[#fs + 1] = function() return (2 + "s") end
pcall(function() n = select("#", ((-3 and t.x) - (t.x == c)), n) end)
pcall(function() out[#out + 1] = tostring(2) end)
table.insert(t, n)
do local a = select(2, pcall(function() return ((f2(a) - #t) .. (t[1] or 2)) end)); pcall(function() a, c = ((a < n) == ("7" - t[1])) end); out[#out + 1] = tostring(a) end
fs[#fs + 1] = function() return (a or 0) end
pcall(function() a = ((t[1] < c) < 2), ((c - "7") - (n - f2(a))) end)
if select(2, pcall(function() return "7" end)) then pcall(function() b = ((#t == n) + c) end) else pcall(function() a = "7", (#t and (a == 1)) end) end
for i, f in ipairs(fs) do local ok, v = pcall(f) out[#out + 1] = tostring(ok) .. "=" .. tostring(v) end
print(table.concat(out, " "))
print(a, b, c, n, #t, t[1], t[2], t.x)
