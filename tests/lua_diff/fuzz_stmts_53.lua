-- generated random statements (closures, upvalues, multiple assignment, errors)
local a, b, c = 1, "2", 3
local t = {1, 2, x = "X"}
local n = 0
local out, fs = {}, {}
local function f1() return a, b end
local function f2(x, ...) return x, select("#", ...) end
if select(2, pcall(function() return ((#t or n) or (-3 + #t)) end)) then local w = 0 while w < 2 do w = w + 1 pcall(function() out[#out + 1] = tostring(b) end) end else for i = 1, 3 do pcall(function() a = ((b and t.x) < c), (("s" or 2) % ((a or 0) or "s")) end) end end
do local ok, e = pcall(function() return ((b - 1) .. ((a or 0) + f1())) end) out[#out + 1] = tostring(ok) .. ":" .. tostring(e) end
fs[#fs + 1] = function() return b end
for i = 1, 1 do table.insert(t, "v") end
pcall(function() c, b = "s", (0.5 < (f2(a) - c)), c end)
pcall(function() t[a] = n end)
fs[#fs + 1] = function() return ((a or 0) .. (-3 .. 0.5)) end
fs[#fs + 1] = function() return -3 end
pcall(function() t[a] = f2(a) end)
pcall(function() out[#out + 1] = tostring((c + (f1() % #t))) end)
pcall(function() t["x"] = ((-3 < -3) or (c < b)) end)
if select(2, pcall(function() return a end)) then local w = 0 while w < 3 do w = w + 1 a, b, c = b, c, a end else do local a = select(2, pcall(function() return f1() end)); pcall(function() n = select("#", ("7" < (t.x + a))) end); out[#out + 1] = tostring(a) end end
pcall(function() t[1] = ((b + f1()) + ((a or 0) + 2)) end)
for i = 1, 0 do for i = 1, 3 do pcall(function() n = select("#") end) end end
do local ok, e = pcall(function() return ((0.5 and b) + (0.5 == 2)) end) out[#out + 1] = tostring(ok) .. ":" .. tostring(e) end
local w = 0 while w < 3 do w = w + 1 pcall(function() t[a] = (a or 0) end) end
pcall(function() a, b = f1(), ("s" or (2 and "s")) end)
fs[#fs + 1] = function() return ((a or 0) % -3) end
if select(2, pcall(function() return t.x end)) then pcall(function() b = ((1 + #t) - f2(a)), 2 end) else local w = 0 while w < 0 do w = w + 1 pcall(function() b, c = t[1] end) end end
table.insert(t, 1)
a, b, c = b, c, a
if select(2, pcall(function() return t.x end)) then pcall(function() t[#t + 1] = ("7" + 2) end) else for i = 1, 3 do do local ok, e = pcall(function() return ((f1() or 1) % (c + "s")) end) out[#out + 1] = tostring(ok) .. ":" .. tostring(e) end end end
pcall(function() c, b = #t end)
pcall(function() n = select("#", ((b and #t) * (#t .. "s"))) end)
pcall(function() out[#out + 1] = tostring(f1()) end)
pcall(function() a, c = ((2 - t.x) * #t), t.x, (1 + #t) end)
if select(2, pcall(function() return (-3 < ((a or 0) < "7")) end)) then fs[#fs + 1] = function() return 2 end else pcall(function() t[a] = -3 end) end
if select(2, pcall(function() return 1 end)) then do local ok, e = pcall(function() return -3 end) out[#out + 1] = tostring(ok) .. ":" .. tostring(e) end else pcall(function() out[#out + 1] = tostring(((f2(a) and b) + 1)) end) end
a, b, c = b, c, a
pcall(function() b = ((b .. #t) % (#t - 2)), (((a or 0) * #t) % ((a or 0) == f1())) end)
pcall(function() t[a] = c end)
do local a = select(2, pcall(function() return t.x end)); pcall(function() out[#out + 1] = tostring(((f2(a) and "7") + (-3 == 1))) end); out[#out + 1] = tostring(a) end
do local a = select(2, pcall(function() return ((n == 1) < ("s" * f2(a))) end)); if select(2, pcall(function() return ((1 * "7") or (#t + b)) end)) then pcall(function() n = select("#", ((0.5 == 1) - "s")) end) else pcall(function() t[#t + 1] = 0.5 end) end; out[#out + 1] = tostring(a) end
do local ok, e = pcall(function() return (#t and (a or 0)) end) out[#out + 1] = tostring(ok) .. ":" .. tostring(e) end
do local a = select(2, pcall(function() return (t.x * (#t or f1())) end)); pcall(function() b = c end); out[#out + 1] = tostring(a) end
do local ok, e = pcall(function() return ((t.x .. b) < ("s" == #t)) end) out[#out + 1] = tostring(ok) .. ":" .. tostring(e) end
do local ok, e = pcall(function() return (("7" % 1) < ("7" and -3)) end) out[#out + 1] = tostring(ok) .. ":" .. tostring(e) end
do local a = select(2, pcall(function() return f1() end)); fs[#fs + 1] = function() return (("s" + n) == ("7" - "s")) end; out[#out + 1] = tostring(a) end
pcall(function() b, a = (0.5 % (0.5 % f1())) end)
pcall(function() a = t.x end)
pcall(function() b = (((a or 0) .. -3) % (1 .. t[1])), n end)
pcall(function() c = ((#t < 0.5) + 1) end)
local w = 0 while w < 0 do w = w + 1 table.insert(t, #t) end
do local a = select(2, pcall(function() return "7" end)); pcall(function() c, a = (("7" and c) .. (a * "s")) end); out[#out + 1] = tostring(a) end
if select(2, pcall(function() return ((b .. f1()) and (-3 * c)) end)) then if select(2, pcall(function() return #t end)) then a, b, c = b, c, a else table.insert(t, n) end else pcall(function() c = (0.5 % c), ((1 and (a or 0)) * (b - a)), ((b < (a or 0)) * t[1]) end) end
pcall(function() a = ((1 .. 1) % (1 < -3)) end)
local w = 0 while w < 0 do w = w + 1 do local ok, e = pcall(function() return (((a or 0) == "7") * (-3 and a)) end) out[#out + 1] = tostring(ok) .. ":" .. tostring(e) end end
pcall(function() a, b = (a or 0), c end)
do local ok, e = pcall(function() return t.x end) out[#out + 1] = tostring(ok) .. ":" .. tostring(e) end
fs[#fs + 1] = function() return ((t[1] + 0.5) - (2 - 1)) end
for i, f in ipairs(fs) do local ok, v = pcall(f) out[#out + 1] = tostring(ok) .. "=" .. tostring(v) end
print(table.concat(out, " "))
print(a, b, c, n, #t, t[1], t[2], t.x)
