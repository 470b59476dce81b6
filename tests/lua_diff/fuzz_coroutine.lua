-- generated random statements run inside a coroutine with yields
local a, b, c = 1, "2", 3
local t = {1, 2, x = "X"}
local n = 0
local out, fs = {}, {}
local function f1() return a, b end
local function f2(x, ...) return x, select("#", ...) end
local co = coroutine.create(function()
if select(2, pcall(function() return (n % (b .. -3)) end)) then pcall(function() a, b = "s", 0.5, ((-3 and c) * n) end) else pcall(function() a = ((t.x == 0.5) * (-3 .. 0.5)) end) end
a, b, c = b, c, a
pcall(function() out[#out + 1] = tostring(#t) end)
for i = 1, 1 do pcall(function() t["x"] = a end) end
fs[#fs + 1] = function() return (t[1] - (-3 < (a or 0))) end
do local a = select(2, pcall(function() return "7" end)); a, b, c = b, c, a; out[#out + 1] = tostring(a) end
pcall(function() b, a = (a < (0.5 * 1)), (#t or (n == 1)), ((f2(a) + c) < #t) end)
coroutine.yield(#out)
do local ok, e = pcall(function() return c end) out[#out + 1] = tostring(ok) .. ":" .. tostring(e) end
pcall(function() t["x"] = c end)
if select(2, pcall(function() return ((b * c) == (f1() % b)) end)) then pcall(function() b, c = (((a or 0) + t.x) + (2 * f2(a))), f2(a), b end) else pcall(function() out[#out + 1] = tostring(n) end) end
do local ok, e = pcall(function() return (((a or 0) or t.x) * ((a or 0) == f1())) end) out[#out + 1] = tostring(ok) .. ":" .. tostring(e) end
do local ok, e = pcall(function() return -3 end) out[#out + 1] = tostring(ok) .. ":" .. tostring(e) end
coroutine.yield(#out)
if select(2, pcall(function() return ((a or 0) < #t) end)) then pcall(function() c, a = "7", ((t.x == -3) == ((a or 0) + "7")) end) else pcall(function() t["x"] = ((#t < "7") % (#t and -3)) end) end
pcall(function() out[#out + 1] = tostring(((2 % -3) < #t)) end)
coroutine.yield(#out)
do local ok, e = pcall(function() return ((-3 and f2(a)) - "7") end) out[#out + 1] = tostring(ok) .. ":" .. tostring(e) end
local w = 0 while w < 0 do w = w + 1 pcall(function() c, a = (((a or 0) + "s") * 2) end) end
pcall(function() b = ((c and 0.5) and #t) end)
coroutine.yield(#out)
pcall(function() b, c = (b % (1 == t[1])) end)
coroutine.yield(#out)
fs[#fs + 1] = function() return t[1] end
coroutine.yield(#out)
a, b, c = b, c, a
table.insert(t, #t)
for i = 1, 2 do do local a = select(2, pcall(function() return f1() end)); fs[#fs + 1] = function() return ((a < f1()) * 2) end; out[#out + 1] = tostring(a) end end
coroutine.yield(#out)
pcall(function() t[#t + 1] = f2(a) end)
a, b, c = b, c, a
coroutine.yield(#out)
do local a = select(2, pcall(function() return (-3 and (t[1] == (a or 0))) end)); pcall(function() t[1] = t[1] end); out[#out + 1] = tostring(a) end
do local a = select(2, pcall(function() return (a or 0) end)); pcall(function() a, b = ("7" and (a or 0)) end); out[#out + 1] = tostring(a) end
coroutine.yield(#out)
table.insert(t, "v")
coroutine.yield(#out)
do local a = select(2, pcall(function() return ((a or 0) == (a - 2)) end)); pcall(function() t[#t + 1] = ((n + #t) == 2) end); out[#out + 1] = tostring(a) end
pcall(function() c, b = (f2(a) % ((a or 0) and f1())), ((c or t[1]) .. (t[1] and (a or 0))), ((a or 0) * (2 % f2(a))) end)
coroutine.yield(#out)
fs[#fs + 1] = function() return ((c == c) - (t.x + f2(a))) end
coroutine.yield(#out)
a, b, c = b, c, a
a, b, c = b, c, a
pcall(function() n = select("#") end)
coroutine.yield(#out)
pcall(function() a = ((t[1] * n) - -3), (0.5 * 1), (1 - (a * f2(a))) end)
pcall(function() b, c = b, t[1], t[1] end)
do local ok, e = pcall(function() return ("s" .. t[1]) end) out[#out + 1] = tostring(ok) .. ":" .. tostring(e) end
do local a = select(2, pcall(function() return "s" end)); pcall(function() out[#out + 1] = tostring((a and (b - c))) end); out[#out + 1] = tostring(a) end
coroutine.yield(#out)
pcall(function() out[#out + 1] = tostring((n or (1 < a))) end)
fs[#fs + 1] = function() return 2 end
do local ok, e = pcall(function() return (((a or 0) - 0.5) .. f1()) end) out[#out + 1] = tostring(ok) .. ":" .. tostring(e) end
for i, f in ipairs(fs) do local ok, v = pcall(f) out[#out + 1] = tostring(ok) .. "=" .. tostring(v) end
end)
local steps = 0 while true do local ok, v = coroutine.resume(co) if not ok then print('err', v) break end if coroutine.status(co) == 'dead' then break end steps = steps + 1 end
print('steps', steps)
print(table.concat(out, " "))
print(a, b, c, n, #t, t[1], t[2], t.x)
